/*
 * The README is the package's front page on npm and Construct Hub: it stays a landing page, and
 * the detail lives in the guides in docs/. Every guide says first who needs it, the README links
 * every guide, and every link of both (file and #anchor) leads somewhere. The README's links to
 * the repository's files are absolute: Construct Hub does not resolve relative links (they 404
 * there), and the guides are not in the package.
 */
import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { guideFiles, markdownFiles, README, ROOT } from './markdown-files';
import { readLeaf, recordLeaf } from '../lambda/restore/restore-record';
import { RESTORE_LEDGER_ROOT, RESTORE_RECORDS_KEPT_DAYS } from '../lib/rules/restore-rules';

const README_LIMIT_BYTES = 24 * 1024;

/** Where the README links the repository's files: its main branch on GitHub, from package.json. */
function repositoryFileBase(): string {
  const { repository } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
  return `${repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/blob/main/`;
}

/** The link targets of a markdown text, outside its code blocks. */
function linkTargets(markdown: string): string[] {
  return [...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

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
  for (const file of guideFiles()) expect(readme).toContain(`](${repositoryFileBase()}docs/${path.basename(file)})`);
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
    const broken: string[] = [];
    for (const target of linkTargets(readFileSync(file, 'utf8'))) {
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

test('every link of the README works as npm and Construct Hub show it: absolute, or an anchor of the README itself', () => {
  const readme = readFileSync(README, 'utf8');
  const base = repositoryFileBase();
  const broken: string[] = [];
  for (const target of linkTargets(readme)) {
    const [where, anchor] = target.split('#');
    if (where === '') {
      if (!anchorsIn(readme).has(anchor)) broken.push(`${target}: no such heading in the README`);
    } else if (target.startsWith(base)) {
      const file = path.join(ROOT, where.slice(base.length));
      if (!existsSync(file)) broken.push(`${target}: no such file in the repository`);
      else if (anchor !== undefined && !anchorsIn(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${target}: no such heading`);
    } else if (!/^https:\/\//.test(target)) {
      broken.push(`${target}: relative, so dead on Construct Hub`);
    }
  }
  expect(broken).toEqual([]);
  expect(linkTargets(readme).filter((target) => target.startsWith(base)).length).toBeGreaterThan(guideFiles().length);
});

test('docs/restore.md shows the restore records as the handler names and keeps them', () => {
  const guide = readFileSync(path.join(ROOT, 'docs', 'restore.md'), 'utf8');
  const section = guide.slice(guide.indexOf('## The restore records'), guide.indexOf('## Not yet verified against AWS'));
  expect(section).toContain(`${RESTORE_LEDGER_ROOT}/<namespace>/<hash of the CloudFormation RequestId>/`);
  // Every kind of record the handler writes, as the leaf of attempt 1, and nothing else.
  const leaves = [...section.matchAll(/\b(\d{3}-[a-z]+)\b/g)].map((m) => m[1]);
  const kinds = [...new Set(leaves)].map((leaf) => readLeaf(`/x/${leaf}`)?.kind);
  expect(kinds.sort()).toEqual(['claim', 'refused', 'started']);
  for (const kind of ['claim', 'started', 'refused'] as const) expect(leaves).toContain(recordLeaf(1, kind));
  expect(RESTORE_RECORDS_KEPT_DAYS).toBe(7);
  expect(section).toMatch(/older than a week/);
});
