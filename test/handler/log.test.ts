/*
 * The handler's log entries reach Lambda through the console, whose method sets the level Lambda
 * records and filters on (the function's application log level): an error must be an ERROR line
 * and a warning a WARN line, each one entry with the step's context and its own fields.
 */
import { structuredLogger } from '../../lambda/shared/log';

const spies = {
  info: jest.spyOn(console, 'info').mockImplementation(() => undefined),
  warn: jest.spyOn(console, 'warn').mockImplementation(() => undefined),
  error: jest.spyOn(console, 'error').mockImplementation(() => undefined),
};
afterEach(() => Object.values(spies).forEach((spy) => spy.mockClear()));
afterAll(() => Object.values(spies).forEach((spy) => spy.mockRestore()));

test.each([
  ['info', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
] as const)('%s goes to console.%s, as one entry with the context and its fields', (method, consoleMethod) => {
  const log = structuredLogger({ step: 'onEvent', snapshotName: 'nightly' });
  log[method]('something happened', { status: 'CREATING' });
  expect(spies[consoleMethod]).toHaveBeenCalledWith({
    msg: 'something happened',
    step: 'onEvent',
    snapshotName: 'nightly',
    status: 'CREATING',
  });
  const others = Object.entries(spies).filter(([name]) => name !== consoleMethod);
  for (const [, spy] of others) expect(spy).not.toHaveBeenCalled();
});

test("an entry's own fields win over the context's", () => {
  const entries: unknown[] = [];
  const log = structuredLogger({ step: 'onEvent', status: 'old' }, (level, entry) => entries.push({ level, ...entry }));
  log.info('read again', { status: 'new' });
  expect(entries).toEqual([{ level: 'INFO', msg: 'read again', step: 'onEvent', status: 'new' }]);
});
