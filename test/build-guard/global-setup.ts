/* Jest's global setup: fingerprints the build's outputs before any test file runs (build-outputs.ts). */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { fingerprints } from './build-outputs';
import { REPOSITORY } from './package-copy';

export default function globalSetup(): void {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'build-outputs-')), 'fingerprints.json');
  writeFileSync(file, JSON.stringify(fingerprints(REPOSITORY)));
  process.env.BUILD_OUTPUT_FINGERPRINTS = file;
}
