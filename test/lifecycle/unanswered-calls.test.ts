/*
 * Calls that never get an answer, or whose answer is lost, against the shipped handler. These
 * take real time (the handler abandons a silent call after its 10-second request timeout), so
 * they live in a file of their own that jest runs beside the others.
 */
import { LifecycleDriver } from './driver';
import { endpoint, handler, names, props, useScenarioEnvironment } from './scenario-support';

useScenarioEnvironment();

/** A driver whose Lambda invocations have `lambdaTimeoutMs` each. */
const driverWith = (lambdaTimeoutMs: number) =>
  new LifecycleDriver(handler, { lambdaTimeoutMs, timeoutMs: 20_000, stackStatus: (id, status) => endpoint.stacks.set(id, status) });

test('6. a call that never gets an answer is abandoned, retried and reported inside the invocation', async () => {
  endpoint.faults.hangNext('CreateSnapshot', 1);
  const report = await driverWith(300_000).create(props());

  expect(report.status).toBe('SUCCESS');
  expect(endpoint.callsOf('CreateSnapshot').map((c) => c.outcome)).toEqual(['no answer', 'ok']);
  expect(handler.logs).toContainEqual(
    expect.objectContaining({
      level: 'WARN',
      message: 'retrying after a transient error',
      operation: 'CreateSnapshot',
      error: 'TimeoutError',
    }),
  );
  expect(names()).toEqual(['nightly']);
}, 30_000);

describe('7. a Create whose answer was lost, with the service unreachable for the rest of the invocation', () => {
  // Two seconds per invocation leave no room for a retry: a lost answer ends onEvent's attempts.
  const shortInvocations = () => driverWith(2_000);

  test('completes with the snapshot the lost answer was about, adopted by its request tag', async () => {
    endpoint.faults.loseAnswerOfNext('CreateSnapshot', 1);
    const report = await shortInvocations().create(props());

    expect(report.status).toBe('SUCCESS');
    expect(endpoint.callsOf('CreateSnapshot').map((c) => c.outcome)).toEqual(['ok, answer lost']);
    expect(handler.logs).toContainEqual(
      expect.objectContaining({ message: 'could not tell whether the service accepted the snapshot: isComplete will look for it' }),
    );
    expect(names()).toEqual(['nightly']);
  });

  test('when that snapshot then fails, the physical id is its name, so the rollback Delete reaches the handler and cleans up', async () => {
    endpoint.faults.loseAnswerOfNext('CreateSnapshot', 1);
    endpoint.model.endNextSnapshot('nightly', 'FAILED');
    const d = shortInvocations();

    const created = await d.create(props());
    expect(created.status).toBe('FAILED');
    expect(created.physicalResourceId).toBe('nightly');
    expect(names()).toEqual(['nightly']);

    const rollback = await d.delete(created.physicalResourceId, props(), 'ROLLBACK_IN_PROGRESS');
    expect(rollback.status).toBe('SUCCESS');
    expect(names()).toEqual([]);
  });
});
