// Writes mutation/summary.md from Stryker's JSON report (reports/mutation/mutation.json), and
// fails when either part of the code is below the goal. Run by `npm run mutation` after Stryker.
//
// The summary holds only what a rerun on the same code reproduces: counts, scores and the
// mutants themselves, no timings. A mutant that timed out counts as detected, like one killed,
// since which of the two it is depends on the machine's load.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import config from '../mutation/stryker.config.mjs';

const REPORT = 'reports/mutation/mutation.json';
const SUMMARY = 'mutation/summary.md';
const GOAL = 95;
const LOG_TEXT_REASON = /^Log text only/;
const STATIC_REASON = /^Static mutant/;

/** The two parts the goal is stated for, by where their files are. */
const PARTS = [
  { name: 'lambda/ (the handler)', owns: (file) => file.startsWith('lambda/') },
  { name: 'lib/ rules and naming', owns: (file) => file.startsWith('lib/') },
];

const report = JSON.parse(readFileSync(REPORT, 'utf8'));

/** Every mutant with its file, and the source text it replaces. */
const mutants = Object.entries(report.files)
  .flatMap(([file, { source, mutants: list }]) => {
    const lines = source.split('\n');
    return list.map((mutant) => ({ ...mutant, file, original: textAt(lines, mutant.location) }));
  })
  .sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column,
  );

function textAt(lines, { start, end }) {
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [
    lines[start.line - 1].slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    lines[end.line - 1].slice(0, end.column - 1),
  ].join('\n');
}

function kindOf(mutant) {
  switch (mutant.status) {
    case 'Killed':
    case 'Timeout':
      return 'detected';
    case 'Survived':
      return 'survived';
    case 'NoCoverage':
      return 'noCoverage';
    case 'Ignored':
      if (LOG_TEXT_REASON.test(mutant.statusReason ?? '')) return 'logText';
      return STATIC_REASON.test(mutant.statusReason ?? '') ? 'static' : 'equivalent';
    default:
      return 'invalid'; // CompileError, RuntimeError: the mutant never ran.
  }
}

function tally(list) {
  const counts = { detected: 0, survived: 0, noCoverage: 0, logText: 0, equivalent: 0, static: 0, invalid: 0 };
  for (const mutant of list) counts[kindOf(mutant)] += 1;
  const scored = counts.detected + counts.survived + counts.noCoverage;
  counts.score = scored === 0 ? 100 : (100 * counts.detected) / scored;
  return counts;
}

const row = (label, c) =>
  `| ${label} | ${c.score.toFixed(2)} | ${c.detected} | ${c.survived} | ${c.noCoverage} | ${c.equivalent} | ${c.logText} | ${c.static} | ${c.invalid} |`;
const header = [
  '| | Score % | Detected | Survived | No coverage | Equivalent (ignored) | Log text (ignored) | Static (not run) | Did not compile |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];
const oneLine = (text) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const describe = (m) =>
  `\`${m.file}:${m.location.start.line}:${m.location.start.column}\` ${m.mutatorName}: \`${oneLine(m.original)}\` → \`${oneLine(m.replacement ?? '')}\``;

const parts = PARTS.map((part) => ({ ...part, counts: tally(mutants.filter((m) => part.owns(m.file))) }));
const files = [...new Set(mutants.map((m) => m.file))];
const undetected = mutants.filter((m) => ['survived', 'noCoverage'].includes(kindOf(m)));
const byKind = new Map();
for (const m of undetected) byKind.set(m.mutatorName, (byKind.get(m.mutatorName) ?? 0) + 1);
const equivalents = mutants.filter((m) => kindOf(m) === 'equivalent');
const statics = mutants.filter((m) => kindOf(m) === 'static');

const lines = [
  '# Mutation testing summary',
  '',
  'Written by `npm run mutation` (Stryker, then `scripts/mutation-summary.mjs`); do not edit by hand.',
  'CONTRIBUTING.md ("Mutation testing") says what is mutated, by which tests, and how to read this.',
  `The goal is a score of at least ${GOAL}% for each part. The score is detected / (detected + survived + no coverage);`,
  'ignored mutants and those that did not compile are not counted.',
  '',
  '## By part',
  '',
  ...header,
  ...parts.map((p) => row(p.name, p.counts)),
  '',
  '## By file',
  '',
  ...header,
  ...files.map((file) => row(`\`${file}\``, tally(mutants.filter((m) => m.file === file)))),
  '',
  '## Undetected mutants by kind',
  '',
  '| Mutator | Count |',
  '|---|---:|',
  ...[...byKind.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([kind, count]) => `| ${kind} | ${count} |`),
  '',
  '## Undetected mutants',
  '',
  ...(undetected.length === 0
    ? ['None.']
    : undetected.map((m) => `- ${describe(m)}${m.status === 'NoCoverage' ? ' (no test reaches it)' : ''}`)),
  '',
  '## Equivalent mutants',
  '',
  'Mutants that change nothing anyone can observe, each excluded where it is (a `Stryker disable` comment) with the reason:',
  '',
  ...(equivalents.length === 0 ? ['None.'] : equivalents.map((m) => `- ${describe(m)}: ${oneLine(m.statusReason ?? '')}`)),
  '',
  '## Static mutants (not run)',
  '',
  'Mutants of code that runs when its module loads (constants, patterns, limits). No test can be traced to them, so',
  'Stryker would run every test for each, about a minute apiece on this machine; `ignoreStatic` leaves them out and',
  'they are not counted: this run does not measure them. Most are names, paths, limits and message parts that the',
  'rules, construct and handler tests state as values; `npm run mutation -- --ignoreStatic false --mutate <file>`',
  "measures a file's when its constants change.",
  '',
  ...(statics.length === 0 ? ['None.'] : statics.map((m) => `- ${describe(m)}`)),
  '',
];

// A run given its own `--mutate` measures part of the scope: say which files it left out.
const unmeasured = scopeFiles().filter((file) => !files.includes(file));
if (unmeasured.length > 0) {
  lines.push(
    '## Not measured by this run',
    '',
    "These files are in `mutation/stryker.config.mjs`'s scope but not in the report this summary comes from (the run was",
    'given a narrower `--mutate`, or the file holds nothing to mutate), so the scores above do not cover them:',
    '',
    ...unmeasured.map((file) => `- \`${file}\``),
    '',
  );
}

/** The TypeScript files the configuration's `mutate` patterns name (`dir/**\/*.ts` or a file). */
function scopeFiles() {
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(dir, entry.name))
        : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')
          ? [join(dir, entry.name)]
          : [],
    );
  return config.mutate
    .filter((pattern) => !pattern.startsWith('!'))
    .flatMap((pattern) => (pattern.endsWith('/**/*.ts') ? walk(pattern.slice(0, -'/**/*.ts'.length)) : [pattern]))
    .sort();
}

const text = lines.join('\n');
let previous = '';
try {
  previous = readFileSync(SUMMARY, 'utf8');
} catch {
  // No summary yet.
}
writeFileSync(SUMMARY, text);
for (const p of parts) console.log(`${p.name}: ${p.counts.score.toFixed(2)}% (goal ${GOAL}%)`);
console.log(previous === text ? `${SUMMARY} is unchanged.` : `${SUMMARY} was rewritten: review and commit it.`);
const below = parts.filter((p) => p.counts.score < GOAL);
if (below.length > 0) {
  console.error(`Below the goal of ${GOAL}%: ${below.map((p) => p.name).join(', ')}`);
  process.exitCode = 1;
}
