/* The documents users read: the README and the guides in docs/. Their examples and links are tested. */
import { readdirSync } from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..');
export const README = path.join(ROOT, 'README.md');
export const DOCS = path.join(ROOT, 'docs');

/** The guides in docs/, by absolute path, sorted. */
export function guideFiles(): string[] {
  return readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => path.join(DOCS, name));
}

/** The README, then every guide. */
export function markdownFiles(): string[] {
  return [README, ...guideFiles()];
}
