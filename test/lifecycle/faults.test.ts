/*
 * End-to-end under faults: throttling storms and server-error bursts against the shipped
 * handler. Slower than the other scenarios, because the handler's retrier backs off in real time
 * (500 ms base, with jitter), so they live in a file of their own that jest runs beside the others.
 */
import { Duration } from 'aws-cdk-lib';
import { internalError, throttling } from '../local-endpoint';
import { driver, endpoint, names, props, useScenarioEnvironment } from './scenario-support';

useScenarioEnvironment();

const INJECTED = ['ThrottlingException', 'InternalServerException'];

async function wholeLifecycle() {
  const d = driver();
  const changed = props({ retention: Duration.days(9), tags: { team: 'x' } });
  return [await d.create(props()), await d.update('nightly', props(), changed), await d.delete('nightly', changed)].map(
    (report) => report.status,
  );
}

test.each([
  ['4a. the first 5 calls of each operation throttled', 5, throttling],
  ['4b. bursts of InternalServerException (the first 3 calls of each operation)', 3, internalError],
])(
  '%s: create, update and delete still complete, with bounded retries',
  async (_name, count, fault) => {
    endpoint.faults.failNext('*', count, fault);

    expect(await wholeLifecycle()).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);

    const operations = Object.keys(endpoint.callCounts());
    expect(operations).toEqual(
      expect.arrayContaining(['CreateSnapshot', 'GetSnapshot', 'ListTagsForResource', 'UpdateSnapshot', 'TagResource', 'DeleteSnapshot']),
    );
    for (const operation of operations) {
      const refused = endpoint.callsOf(operation).filter((c) => INJECTED.includes(c.outcome));
      expect({ operation, refused: refused.length }).toEqual({ operation, refused: count });
    }
    expect(names()).toEqual([]);
  },
  90_000,
);
