/*
 * The guides' "Not yet verified against AWS" lists, written from the fact registry so that they
 * cannot drift from it: each page gets, between its two markers, one bullet per fact documented
 * there. `npm run docs:facts` rewrites the lists; `npm test` fails when one differs
 * (test/verify/facts.test.ts).
 */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { Fact, FACTS } from './facts';

export const BEGIN_MARKER = '<!-- facts: written by npm run docs:facts from verify/facts.ts; do not edit -->';
export const END_MARKER = '<!-- /facts -->';
const ROOT = path.join(__dirname, '..');

/** The pages that describe facts, relative to the repository. */
export function factPages(): string[] {
  return [...new Set(FACTS.map((fact) => fact.documentedIn.split('#')[0]))].sort();
}

/** One fact as a bullet: the question, what is assumed, and what happens under every other answer. */
function bullet(fact: Fact): string {
  const assumed = fact.answers.find((answer) => answer.id === fact.assumed);
  const others = fact.answers.filter((answer) => answer.id !== fact.assumed);
  const lines = [
    `- **${fact.question}** Assumed: ${assumed?.description ?? fact.assumed}. The library ${assumed?.libraryBehaviour ?? ''}.`,
  ];
  for (const other of others) {
    const untested = other.shownBy === undefined ? ' (not tested yet)' : '';
    lines.push(`  Otherwise, if ${other.description}: the library ${other.libraryBehaviour}${untested}.`);
  }
  return lines.join('\n');
}

/** The list a page shows, markers included. */
export function renderedList(page: string): string {
  const facts = FACTS.filter((fact) => fact.documentedIn.split('#')[0] === page);
  return [BEGIN_MARKER, '', ...facts.map(bullet), '', END_MARKER].join('\n');
}

/** The list as the page holds it now, markers included; undefined when the page has no markers. */
export function currentList(text: string): string | undefined {
  const start = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  return start < 0 || end < start ? undefined : text.slice(start, end + END_MARKER.length);
}

function main(check: boolean): number {
  let stale = 0;
  for (const page of factPages()) {
    const file = path.join(ROOT, page);
    const text = readFileSync(file, 'utf8');
    const current = currentList(text);
    if (current === undefined) throw new Error(`${page} has no facts markers`);
    if (current === renderedList(page)) continue;
    stale += 1;
    if (check) console.error(`${page}: the "not yet verified" list differs from verify/facts.ts; run npm run docs:facts`);
    else writeFileSync(file, text.replace(current, renderedList(page)));
  }
  return check && stale > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.includes('--check'));
