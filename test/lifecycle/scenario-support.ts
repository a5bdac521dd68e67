/*
 * What every end-to-end scenario shares: a fresh local endpoint with the namespace "analytics",
 * the shipped handler running in its own process against it, and resource properties made by
 * the real construct.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RedshiftServerlessSnapshotProps } from '../../lib';
import { LocalRedshiftServerless } from '../local-endpoint';
import { ModelOptions } from '../local-endpoint/model';
import { constructProperties } from './construct-properties';
import { LifecycleDriver, Properties } from './driver';
import { RunningHandler, startShippedHandler } from './shipped-handler';

export const OWNER_KEY = 'cdk-redshift-serverless-snapshot:owner';
export const REQUEST_KEY = 'cdk-redshift-serverless-snapshot:created-by-request';
/** The handler's own tags, as an expected-value matcher. */
export const handlerTags = { [OWNER_KEY]: expect.any(String) as unknown, [REQUEST_KEY]: expect.any(String) as unknown };
const WRITES = ['CreateSnapshot', 'UpdateSnapshot', 'DeleteSnapshot', 'TagResource', 'UntagResource', 'PutParameter', 'DeleteParameters'];

export let endpoint: LocalRedshiftServerless;
export let handler: RunningHandler;

/** Registers the per-test set-up and tear-down in the calling test file (or describe block). */
export function useScenarioEnvironment(options: ModelOptions = {}): void {
  beforeEach(async () => {
    endpoint = new LocalRedshiftServerless({ creationMs: 300, ...options });
    endpoint.model.addNamespace('analytics');
    handler = await startShippedHandler(await endpoint.start());
  });
  afterEach(async () => {
    await handler.stop();
    await endpoint.stop();
  });
}

/** The properties the construct writes for a snapshot "nightly" of "analytics", with overrides. */
export function props(overrides: Partial<RedshiftServerlessSnapshotProps> = {}): Properties {
  return constructProperties({
    namespaceName: 'analytics',
    snapshotName: 'nightly',
    retention: Duration.days(7),
    tags: { team: 'data' },
    removalPolicy: RemovalPolicy.DESTROY,
    ...overrides,
  });
}

export function driver(logicalResourceId = 'Snapshot1A2B3C4D', stackId?: string): LifecycleDriver {
  return new LifecycleDriver(handler, { logicalResourceId, stackId, stackStatus: (id, status) => endpoint.stacks.set(id, status) });
}

/** A driver of one restore resource of the stack (the logical id names it). */
export function restoreDriver(logicalResourceId = 'RefreshStaging1A2B3C4D'): LifecycleDriver {
  return new LifecycleDriver(handler, {
    logicalResourceId,
    resourceType: 'Custom::RedshiftServerlessRestore',
    stackStatus: (id, status) => endpoint.stacks.set(id, status),
  });
}

export const names = () =>
  endpoint.model
    .state()
    .map((s) => s.name)
    .sort();
export const find = (name: string) => endpoint.model.state().find((s) => s.name === name);

/** The write calls the endpoint accepted since call number `index`. */
export const writesSince = (index: number) => endpoint.calls.slice(index).filter((c) => WRITES.includes(c.operation) && c.outcome === 'ok');
