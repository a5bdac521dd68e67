/*
 * The files the build writes and the tests read while they run: the compiled library, its
 * declarations, the jsii assembly and the handler bundle. A fingerprint of each is taken before
 * the first test file runs and compared after the last one (jest's global setup and teardown): a
 * test that rebuilt or rewrote any of them, by packing or running pacmak in the repository say,
 * fails the run, naming the files. The fingerprint is the SHA-256 and the modification time: the
 * build is reproducible, so a rebuild writes the same bytes, but it deletes and rewrites them
 * while other tests read them.
 */
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

export type Fingerprints = Record<string, string>;

/** The build's outputs under `root`, relative to it, sorted. */
export function buildOutputs(root: string): string[] {
  const under = (dir: string): string[] =>
    existsSync(path.join(root, dir))
      ? readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
          .map((file) => path.join(dir, file))
          .filter((file) => statSync(path.join(root, file)).isFile())
      : [];
  const library = under('lib').filter((file) => file.endsWith('.js') || file.endsWith('.d.ts'));
  const assembly = existsSync(path.join(root, '.jsii')) ? ['.jsii'] : [];
  return [...library, ...under('assets'), ...assembly].sort();
}

export function fingerprints(root: string): Fingerprints {
  return Object.fromEntries(
    buildOutputs(root).map((file) => {
      const full = path.join(root, file);
      return [file, `${createHash('sha256').update(readFileSync(full)).digest('hex')} ${statSync(full).mtimeMs}`];
    }),
  );
}

/** The files added, removed or changed between two fingerprints, each with what happened to it. */
export function changedOutputs(before: Fingerprints, after: Fingerprints): string[] {
  const files = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return files.flatMap((file) => {
    if (!(file in before)) return [`${file} (added)`];
    if (!(file in after)) return [`${file} (removed)`];
    return before[file] === after[file] ? [] : [`${file} (rewritten)`];
  });
}
