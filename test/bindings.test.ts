/*
 * The language bindings jsii-pacmak generates from the assembly (source only: building the
 * packages needs each language's toolchain and registry). The Python module must also parse, and
 * the Python examples of the README and the guides in docs/ must call it as it is generated
 * (test/python-examples.py).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { packageCopy, REPOSITORY } from './build-guard/package-copy';
import { markdownFiles } from './markdown-files';

test('jsii-pacmak generates Python, Java, .NET and Go sources for the construct', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'snapshot-bindings-'));
  execFileSync(
    path.join(REPOSITORY, 'node_modules', '.bin', 'jsii-pacmak'),
    ['--code-only', '--targets', 'python', 'java', 'dotnet', 'go', '--outdir', out],
    // pacmak packs the package it is run in: a copy, never the repository that other tests read.
    { cwd: packageCopy(), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const read = (...parts: string[]) => readFileSync(path.join(out, ...parts), 'utf8');

  const python = read('python', 'src', 'cdk_redshift_serverless_snapshot', '__init__.py');
  expect(python).toMatch(/^class RedshiftServerlessSnapshot\(/m);
  expect(python).toContain('def grant_restore(');
  expect(python).toContain('restore_accounts');
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: python });
  // The Python examples of the README and the guides call only what the binding has, the way it takes it.
  const pythonModule = path.join(out, 'python', 'src', 'cdk_redshift_serverless_snapshot', '__init__.py');
  const checked = execFileSync('python3', [path.join(__dirname, 'python-examples.py'), ...markdownFiles(), pythonModule], {
    encoding: 'utf8',
  });
  // Five calls today: the three constructs, SnapshotSchedule.cron and RestoreSource.latest_snapshot.
  expect(Number(/^checked (\d+) calls$/m.exec(checked)?.[1])).toBeGreaterThanOrEqual(5);

  expect(read('java', 'src', 'main', 'java', 'io', 'github', 'cdkredshiftserverlesssnapshot', 'RedshiftServerlessSnapshot.java')).toContain(
    'public class RedshiftServerlessSnapshot',
  );
  expect(read('dotnet', 'CdkRedshiftServerlessSnapshot', 'CdkRedshiftServerlessSnapshot', 'RedshiftServerlessSnapshot.cs')).toContain(
    'public class RedshiftServerlessSnapshot',
  );
  expect(read('go', 'cdkredshiftserverlesssnapshot', 'RedshiftServerlessSnapshot.go')).toContain(
    'type RedshiftServerlessSnapshot interface',
  );
}, 120_000);
