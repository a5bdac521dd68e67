/*
 * The probe's result: for each fact of the registry, what the library assumes, what was observed
 * and the verdict (holds, differs, or not probed and why), as a table for people and as JSON for
 * the issue that reports it back.
 */
import { Fact, FACTS } from './facts';
import { Observation } from './probes';

export type Verdict = 'holds' | 'differs' | 'not probed';

export interface FactResult {
  readonly fact: string;
  readonly assumed: string;
  readonly observed: string;
  readonly verdict: Verdict;
  /** What was seen, or why the fact was not probed. */
  readonly details: string;
  /** The service's own words (an error's message), when the observation carries them. */
  readonly serviceMessage?: string;
  /** What the library does under the observed answer, from the registry. */
  readonly libraryBehaviour: string;
}

export interface VerifyReport {
  readonly prefix: string;
  readonly target: string;
  readonly startedAt: string;
  readonly results: readonly FactResult[];
}

/** One result per fact of the registry: observed, or not probed with the reason. */
export function judge(observations: readonly Observation[], notProbed: ReadonlyMap<string, string>): FactResult[] {
  return FACTS.map((fact) => {
    const observation = observations.find((o) => o.fact === fact.id);
    if (!observation) {
      return result(fact, '', 'not probed', notProbed.get(fact.id) ?? fact.probe.method);
    }
    const verdict = observation.observed === fact.assumed ? 'holds' : 'differs';
    return { ...result(fact, observation.observed, verdict, observation.details), serviceMessage: observation.serviceMessage };
  });
}

function result(fact: Fact, observed: string, verdict: Verdict, details: string): FactResult {
  const answer = fact.answers.find((a) => a.id === observed);
  const libraryBehaviour =
    verdict === 'not probed' ? '' : (answer?.libraryBehaviour ?? 'an answer the registry does not list: add it, with its switch and test');
  return { fact: fact.id, assumed: fact.assumed, observed, verdict, details, libraryBehaviour };
}

/**
 * The report as it is written to JSON, to be pasted into a public issue: without
 * `includeDetails`, ARNs and 12-digit account ids in the details are replaced by placeholders and
 * the service's own messages (which may name either) are left out.
 */
export function forPublishing(report: VerifyReport, includeDetails: boolean): VerifyReport {
  if (includeDetails) return report;
  const redact = (text: string) => text.replace(/arn:[^\s,;)"']+/g, '<arn>').replace(/\b\d{12}\b/g, '<account>');
  return {
    ...report,
    target: redact(report.target),
    results: report.results.map(({ serviceMessage: _left, ...rest }) => ({ ...rest, details: redact(rest.details) })),
  };
}

/** The table, one line per fact, columns padded. */
export function table(results: readonly FactResult[]): string {
  return columns([
    ['fact', 'library assumes', 'observed', 'verdict', 'details'],
    ...results.map((r) => [
      r.fact,
      r.assumed,
      r.observed || '-',
      r.verdict,
      r.serviceMessage ? `${r.details}: ${r.serviceMessage}` : r.details,
    ]),
  ]);
}

/** Rows as lines, every column but the last (free text) padded to its widest cell. */
export function columns(rows: readonly string[][]): string {
  const last = rows[0].length - 1;
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === last ? cell : cell.padEnd(widths[column]))).join('  ')).join('\n');
}
