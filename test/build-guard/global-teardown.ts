/* Jest's global teardown: the run fails when any test rebuilt or rewrote a build output (build-outputs.ts). */
import { readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { changedOutputs, Fingerprints, fingerprints } from './build-outputs';
import { REPOSITORY } from './package-copy';

export default function globalTeardown(): void {
  const file = process.env.BUILD_OUTPUT_FINGERPRINTS;
  if (file === undefined) throw new Error('The build outputs were not fingerprinted: test/build-guard/global-setup.ts did not run');
  const before = JSON.parse(readFileSync(file, 'utf8')) as Fingerprints;
  rmSync(path.dirname(file), { recursive: true, force: true });
  const changed = changedOutputs(before, fingerprints(REPOSITORY));
  if (changed.length > 0) {
    throw new Error(
      `A test changed the build's outputs while other tests read them (pack or run pacmak on packageCopy() instead):\n  ${changed.join('\n  ')}`,
    );
  }
}
