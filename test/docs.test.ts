/*
 * The README is the package's front page on npm and Construct Hub: it stays a landing page, and
 * the detail lives in the guides in docs/. Every guide says first who needs it, the README links
 * every guide, and every relative link of both (file and #anchor) leads somewhere.
 */
import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { guideFiles, markdownFiles, README, ROOT } from './markdown-files';

const README_LIMIT_BYTES = 24 * 1024;

test('the README is at most 24 KB', () => {
  expect(statSync(README).size).toBeLessThanOrEqual(README_LIMIT_BYTES);
});

test.each(guideFiles().map((file) => [path.basename(file), file]))(
  '%s opens with its title, then one sentence saying who needs it',
  (_, file) => {
    const [title, blank, ...rest] = readFileSync(file, 'utf8').split('\n');
    expect(title).toMatch(/^# \S/);
    expect(blank).toBe('');
    const opening = rest.slice(0, rest.indexOf('')).join(' ');
    expect(opening).toMatch(/^For [^.]+(\.[^ .][^.]*)*\.$/);
  },
);

test('the README links every guide', () => {
  const readme = readFileSync(README, 'utf8');
  for (const file of guideFiles()) expect(readme).toContain(`](docs/${path.basename(file)})`);
});

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsIn(markdown: string): Set<string> {
  const outsideCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...outsideCode.matchAll(/^#{1,6} (.*)$/gm)].map((m) => anchorOf(m[1])));
}

test.each(markdownFiles().map((file) => [path.relative(ROOT, file), file]))(
  'every relative link in %s leads to a file and heading that exist',
  (_, file) => {
    const markdown = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
    const broken: string[] = [];
    for (const [, target] of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [where, anchor] = target.split('#');
      const targetFile = where === '' ? file : path.resolve(path.dirname(file), where);
      if (!existsSync(targetFile)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor !== undefined && targetFile.endsWith('.md') && !anchorsIn(readFileSync(targetFile, 'utf8')).has(anchor)) {
        broken.push(`${target}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
  },
);
