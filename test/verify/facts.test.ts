/*
 * The registry of what AWS does not publish (verify/facts.ts) is whole and true to the code: each
 * answer's local-endpoint switch exists and takes its value, each test it names exists and uses
 * that switch, the guides' "Not yet verified" lists are written from it, and no such statement
 * lives outside those lists. What is not tested yet is listed here, so closing a gap shows.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { FACTS } from '../../verify/facts';
import { currentList, factPages, renderedList } from '../../verify/docs';
import { RedshiftServerlessModel } from '../local-endpoint';
import { markdownFiles, README, ROOT } from '../markdown-files';

/** Answers no test shows yet, as `fact/answer`: each is work left (verify/facts.ts says why). */
const NOT_TESTED_YET: string[] = [];

const answers = FACTS.flatMap((fact) => fact.answers.map((answer) => ({ fact, answer, key: `${fact.id}/${answer.id}` })));

test('each fact has a unique id, more than one answer unless nothing depends on it, and assumes one of its answers', () => {
  expect(new Set(FACTS.map((f) => f.id)).size).toBe(FACTS.length);
  for (const fact of FACTS) {
    expect([fact.id, fact.answers.map((a) => a.id)]).toEqual([fact.id, expect.arrayContaining([fact.assumed])]);
    if (fact.answers.length < 2)
      expect([fact.id, fact.answers[0].libraryBehaviour]).toEqual([fact.id, expect.stringMatching(/^works: no part of the library/)]);
  }
});

test.each(answers.filter(({ answer }) => 'option' in answer.localEndpoint).map((a) => [a.key, a] as const))(
  '%s: the local endpoint takes its switch',
  (_, { answer }) => {
    const { option, value } = answer.localEndpoint as { option: string; value: unknown };
    const model = new RedshiftServerlessModel({ [option]: value }) as unknown as Record<string, unknown>;
    expect(model[option]).toEqual(value);
  },
);

test.each(answers.filter(({ answer }) => answer.shownBy !== undefined).map((a) => [a.key, a] as const))(
  '%s: the test that shows the library under it exists, and sets the switch',
  (_, { answer }) => {
    const file = path.join(ROOT, answer.shownBy ?? '');
    expect(existsSync(file)).toBe(true);
    // A test on the shipped bundle runs under the switch; the others (the IAM evaluation, say) show it another way.
    if ('option' in answer.localEndpoint && answer.shownBy?.startsWith('test/lifecycle/')) {
      expect(readFileSync(file, 'utf8')).toContain(answer.localEndpoint.option);
    }
  },
);

test('the answers no test shows yet are exactly those listed as work left', () => {
  expect(answers.filter(({ answer }) => answer.shownBy === undefined).map((a) => a.key)).toEqual(NOT_TESTED_YET);
});

test.each(factPages())("%s: its 'Not yet verified against AWS' list is written from the registry (npm run docs:facts)", (page) => {
  const text = readFileSync(path.join(ROOT, page), 'utf8');
  expect(currentList(text)).toEqual(renderedList(page));
  // Under the heading each fact's documentedIn names.
  const list = text.indexOf(currentList(text) ?? '');
  expect(text.lastIndexOf('\n## ', list)).toBe(text.indexOf('\n## Not yet verified against AWS'));
  for (const fact of FACTS.filter((f) => f.documentedIn.startsWith(page)))
    expect(fact.documentedIn).toBe(`${page}#not-yet-verified-against-aws`);
});

test('no page says something is not verified outside those lists and the README, which links each of them', () => {
  const outside = markdownFiles().flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const list = currentList(text) ?? '';
    return text
      .replace(list, '')
      .split('\n')
      .filter((line) => /not (yet )?verified|unverified/i.test(line) && !/^## Not yet verified against AWS$/.test(line))
      .map((line) => `${path.relative(ROOT, file)}: ${line}`);
  });
  expect(outside.filter((line) => !line.startsWith('README.md'))).toEqual([]);
  const readme = readFileSync(README, 'utf8');
  const section = readme.slice(
    readme.indexOf('## Not yet verified against AWS'),
    readme.indexOf('\n## ', readme.indexOf('## Not yet verified against AWS') + 5),
  );
  for (const page of factPages()) expect(section).toContain(`${page}#not-yet-verified-against-aws`);
  expect(section).toContain('verify/facts.ts');
});
