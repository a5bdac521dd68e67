/*
 * The guard that fails `npm test` when a test rewrote the build's outputs (global-teardown.ts):
 * exercised on a copy of the package, which is what the tests that pack or run pacmak use.
 */
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'fs';
import * as path from 'path';
import { buildOutputs, changedOutputs, fingerprints } from './build-outputs';
import { packageCopy, REPOSITORY } from './package-copy';

test('the outputs are the compiled library and its declarations, the assembly and the handler bundle, not the sources', () => {
  const outputs = buildOutputs(REPOSITORY);
  expect(outputs).toContain('lib/index.js');
  expect(outputs).toContain('lib/index.d.ts');
  expect(outputs).toContain('.jsii');
  expect(outputs).toContain('assets/handler/index.js');
  expect(outputs.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
});

test('a rebuilt bundle, a file rewritten with the same bytes, a new compiled file and a removed assembly are each named; a changed source is not', () => {
  const copy = packageCopy();
  try {
    const before = fingerprints(copy);
    expect(changedOutputs(before, fingerprints(copy))).toEqual([]);
    const bundle = path.join(copy, 'assets', 'handler', 'index.js');
    writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}\n// rebuilt`);
    writeFileSync(path.join(copy, 'lib', 'extra.js'), '');
    // What a reproducible rebuild does: the same bytes, written anew (a later modification time).
    const index = path.join(copy, 'lib', 'index.js');
    const same = readFileSync(index);
    utimesSync(index, new Date(0), new Date(0));
    const rebuiltBefore = fingerprints(copy)['lib/index.js'];
    writeFileSync(index, same);
    rmSync(path.join(copy, '.jsii'));
    writeFileSync(path.join(copy, 'lib', 'index.ts'), '// a source, which the build reads and never writes');
    const after = fingerprints(copy);
    expect(changedOutputs({ ...before, 'lib/index.js': rebuiltBefore }, after)).toEqual([
      '.jsii (removed)',
      'assets/handler/index.js (rewritten)',
      'lib/extra.js (added)',
      'lib/index.js (rewritten)',
    ]);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test("the copy has no scripts for a pack to run, and resolves the repository's dependencies", () => {
  const copy = packageCopy();
  try {
    const manifest = JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8')) as { scripts: object; name: string };
    expect(manifest.scripts).toEqual({});
    expect(manifest.name).toBe('cdk-redshift-serverless-snapshot');
    expect(existsSync(path.join(copy, 'node_modules', 'aws-cdk-lib', '.jsii'))).toBe(true);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
