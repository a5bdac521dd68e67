// Writes API.md from the .jsii assembly with jsii-docgen, or, with --check, fails when the
// committed API.md is not what the current code generates (run by `npm test`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const generated = path.join(mkdtempSync(path.join(tmpdir(), 'api-md-')), 'API.md');
execFileSync(path.join('node_modules', '.bin', 'jsii-docgen'), ['--output', generated], { stdio: 'inherit' });
const fresh = readFileSync(generated, 'utf8');

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync('API.md', 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== fresh) {
    console.error('API.md is out of date with the code: run `npm run docgen` and commit API.md.');
    process.exit(1);
  }
  console.log('API.md is up to date.');
} else {
  writeFileSync('API.md', fresh);
  console.log('API.md written.');
}
