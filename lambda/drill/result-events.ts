/*
 * The event each drill run sends to the default event bus, of the library's own source, with its
 * outcome. Through the client the Lambda Node.js runtime provides, like SSM's
 * (lambda/shared/parameter-store.ts).
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import { DRILL_EVENT_DETAIL_TYPE, DRILL_EVENT_SOURCE } from '../../lib/drill/drill-contract';
import { clientConfig } from '../shared/aws-clients';
import { Retrier } from '../shared/retry';

export interface ResultEvents {
  send(detail: Record<string, unknown>): Promise<void>;
}

let shared: EventBridge.EventBridgeClient | undefined;

/** The events through `given`, or through one client per container made from the standard SDK configuration. */
export function eventBridgeResults(retrier: Retrier, given?: EventBridge.EventBridgeClient): ResultEvents {
  return {
    async send(detail) {
      // A require, not import(): esbuild keeps import() as an ES module import, which does not search NODE_PATH.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge') as typeof EventBridge;
      const client = given ?? (shared ??= new EventBridgeClient(clientConfig()));
      const response = await retrier.call('PutEvents', `the result of drill ${String(detail.drill)}`, { retryConflicts: false }, () =>
        client.send(
          new PutEventsCommand({
            Entries: [{ Source: DRILL_EVENT_SOURCE, DetailType: DRILL_EVENT_DETAIL_TYPE, Detail: JSON.stringify(detail) }],
          }),
        ),
      );
      // PutEvents answers 200 with a failed entry rather than an error: a lost event must fail the step.
      if (response.FailedEntryCount) {
        const entry = response.Entries?.[0];
        throw new Error(`PutEvents refused the drill's result event: ${entry?.ErrorCode}: ${entry?.ErrorMessage}`);
      }
    },
  };
}
