/*
 * The drill's calls one by one against the local endpoint, from the source: what each sends, how
 * a failure names its call and target, which refusals are asked again (busy listings and tags) and
 * which come back at once (a busy delete or create, for the caller to judge), listings of several
 * pages, the newest data point of a metric, and a PutEvents that answers with a failed entry.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { redshiftDataApi } from '../../lambda/drill/data-api';
import { awsDrillPublisher } from '../../lambda/drill/publisher';
import { eventBridgeResults } from '../../lambda/drill/result-events';
import { ScratchApi } from '../../lambda/drill/scratch-api';
import { ScratchCreation } from '../../lambda/drill/scratch-creation';
import { Retrier } from '../../lambda/shared/retry';
import { DRILL_DIMENSION, METRIC_NAMESPACE } from '../../lib/drill/drill-contract';
import { LocalRedshiftServerless } from '../local-endpoint';
import { ServiceError } from '../local-endpoint/model';

const NOW = Date.UTC(2026, 11, 7, 6);
const clock = { now: () => NOW, sleep: () => Promise.resolve() };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const conflict = () => new ServiceError('ConflictException', 'busy', 409);

let endpoint: LocalRedshiftServerless;
let clients: { redshift: RedshiftServerlessClient; data: RedshiftDataClient; cloudWatch: CloudWatchClient; events: EventBridgeClient };
const retrier = () => new Retrier(clock, NOW + 60_000, quiet, () => 0);

beforeEach(async () => {
  endpoint = new LocalRedshiftServerless({ now: () => NOW, creationMs: 0, listPageSize: 2 });
  const config = {
    endpoint: await endpoint.start(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    maxAttempts: 1,
  };
  clients = {
    redshift: new RedshiftServerlessClient(config),
    data: new RedshiftDataClient(config),
    cloudWatch: new CloudWatchClient(config),
    events: new EventBridgeClient(config),
  };
});

afterEach(async () => {
  for (const client of Object.values(clients)) client.destroy();
  await endpoint.stop();
});

describe('scratch calls', () => {
  test('listings read every page', async () => {
    for (const name of ['a-1', 'a-2', 'a-3', 'a-4', 'a-5']) endpoint.model.addNamespace(name, { workgroup: true });
    const api = new ScratchApi(clients.redshift, retrier());
    expect(await api.namespaceNames()).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5']);
    expect(await api.workgroupNames()).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5']);
    expect(endpoint.callsOf('ListWorkgroups').map((call) => call.input.nextToken)).toEqual([undefined, 'page-00000002', 'page-00000004']);
  });

  test('a page without its list adds no name', async () => {
    const empty = { send: () => Promise.resolve({}) } as unknown as RedshiftServerlessClient;
    const api = new ScratchApi(empty, retrier());
    expect([await api.namespaceNames(), await api.workgroupNames()]).toEqual([[], []]);
  });

  test('listings and tags are asked again while the service answers busy; a failure names the call and its target', async () => {
    endpoint.model.addNamespace('a-1', { workgroup: false });
    const api = new ScratchApi(clients.redshift, retrier());
    const arn = (await api.namespace('a-1'))!.namespaceArn!;
    endpoint.faults.failNext('ListNamespaces', 1, conflict).failNext('ListWorkgroups', 1, conflict);
    endpoint.faults.failNext('ListTagsForResource', 1, conflict).failNext('TagResource', 1, conflict);
    expect(await api.namespaceNames()).toEqual(['a-1']);
    expect(await api.workgroupNames()).toEqual([]);
    await api.tag(arn, { team: 'data' });
    expect(await api.tagsOf(arn)).toEqual({ team: 'data' });

    const denied = () => new ServiceError('AccessDeniedException', 'denied', 403);
    endpoint.faults.failNext('*', 1, denied);
    await expect(api.namespaceNames()).rejects.toThrow('ListNamespaces for the namespaces failed: AccessDeniedException');
    await expect(api.workgroupNames()).rejects.toThrow('ListWorkgroups for the workgroups failed: AccessDeniedException');
    await expect(api.tag(arn, {})).rejects.toThrow(`TagResource for ${arn} failed: AccessDeniedException`);
    await expect(api.tagsOf(arn)).rejects.toThrow(`ListTagsForResource for ${arn} failed: AccessDeniedException`);
  });

  test('a busy delete comes back at once, naming its call and target; a delete of what is gone succeeds', async () => {
    endpoint.model.addNamespace('a-1', { workgroup: true, workgroupName: 'a-1' });
    const api = new ScratchApi(clients.redshift, retrier());
    endpoint.faults.failNext('DeleteWorkgroup', 1, conflict);
    await expect(api.deleteWorkgroup('a-1')).rejects.toThrow('DeleteWorkgroup for workgroup "a-1" failed: ConflictException: busy');
    // The namespace still has its workgroup: the service answers busy.
    await expect(api.deleteNamespace('a-1')).rejects.toThrow(/^DeleteNamespace for namespace "a-1" failed: ConflictException/);
    expect([endpoint.callsOf('DeleteWorkgroup'), endpoint.callsOf('DeleteNamespace')].map((calls) => calls.length)).toEqual([1, 1]);
    await api.deleteWorkgroup('a-1');
    await api.deleteNamespace('a-1');
    await api.deleteWorkgroup('a-1');
    await api.deleteNamespace('a-1');
    expect(endpoint.model.hasNamespace('a-1')).toBe(false);
  });

  test('a scratch workgroup is made private, in the given subnets and groups, with its tags; none given, none sent', async () => {
    const creation = new ScratchCreation(clients.redshift, retrier());
    await creation.createNamespace('a-1', { drill: 'a' }, 'key-1');
    await creation.createWorkgroup('a-1', 'a-1', { baseCapacity: 8, subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] }, { drill: 'a' });
    await creation.createNamespace('a-2', { drill: 'a' }, undefined);
    await creation.createWorkgroup('a-2', 'a-2', { baseCapacity: 4, subnetIds: [], securityGroupIds: [] }, { drill: 'a' });
    expect(endpoint.callsOf('CreateNamespace').map((call) => call.input)).toEqual([
      { namespaceName: 'a-1', kmsKeyId: 'key-1', tags: [{ key: 'drill', value: 'a' }] },
      { namespaceName: 'a-2', tags: [{ key: 'drill', value: 'a' }] },
    ]);
    expect(endpoint.callsOf('CreateWorkgroup').map((call) => call.input)).toEqual([
      {
        workgroupName: 'a-1',
        namespaceName: 'a-1',
        baseCapacity: 8,
        subnetIds: ['subnet-1'],
        securityGroupIds: ['sg-1'],
        publiclyAccessible: false,
        tags: [{ key: 'drill', value: 'a' }],
      },
      { workgroupName: 'a-2', namespaceName: 'a-2', baseCapacity: 4, publiclyAccessible: false, tags: [{ key: 'drill', value: 'a' }] },
    ]);
    await expect(creation.createNamespace('a-1', {}, undefined)).rejects.toThrow(
      'CreateNamespace for namespace "a-1" failed: ConflictException',
    );
    await expect(creation.createWorkgroup('a-1', 'a-1', { baseCapacity: 4, subnetIds: [], securityGroupIds: [] }, {})).rejects.toThrow(
      'CreateWorkgroup for workgroup "a-1" failed: ConflictException',
    );
  });
});

describe('the Data API', () => {
  test('a statement runs, is described and read; a failure names the call and the statement', async () => {
    endpoint.model.addNamespace('a-1', { workgroup: true, workgroupName: 'a-1' });
    const data = redshiftDataApi(retrier(), clients.data);
    const id = await data.execute('a-1', 'dev', 'select 1');
    expect(await data.describe(id)).toEqual({ status: 'FINISHED', error: undefined });
    expect(await data.result(id)).toEqual({ rows: [[1]], totalRows: 1 });
    await expect(data.execute('missing', 'dev', 'select 1')).rejects.toThrow('ExecuteStatement for workgroup "missing" failed');
    await expect(data.describe('no-such-id')).rejects.toThrow('DescribeStatement for statement no-such-id failed');
    await expect(data.result('no-such-id')).rejects.toThrow('GetStatementResult for statement no-such-id failed');
    // A busy answer is the caller's to judge: not asked again.
    endpoint.faults.failNext('GetStatementResult', 1, conflict);
    await expect(data.result(id)).rejects.toThrow(/^GetStatementResult for statement \S+ failed: ConflictException/);
  });
});

describe('metrics and events', () => {
  test('metrics are put under the library’s namespace, one dimension per drill; a failure names the call', async () => {
    const publisher = awsDrillPublisher(retrier(), clients.cloudWatch);
    await publisher.metrics('a-drill', { DrillSucceeded: 1, DrillTotalMinutes: 42 }, new Date(NOW));
    expect(endpoint.published.points).toEqual([
      { namespace: METRIC_NAMESPACE, metricName: 'DrillSucceeded', dimensions: { [DRILL_DIMENSION]: 'a-drill' }, value: 1, at: NOW },
      { namespace: METRIC_NAMESPACE, metricName: 'DrillTotalMinutes', dimensions: { [DRILL_DIMENSION]: 'a-drill' }, value: 42, at: NOW },
    ]);
    endpoint.faults.failNext('PutMetricData', 1, () => new ServiceError('AccessDeniedException', 'denied', 403));
    await expect(publisher.metrics('a-drill', { DrillSucceeded: 1 }, new Date(NOW))).rejects.toThrow(
      'PutMetricData for the metrics of drill a-drill failed: AccessDeniedException',
    );
  });

  test('the newest hour’s minimum of the drill’s metric in the window; none when there is none', async () => {
    const publisher = awsDrillPublisher(retrier(), clients.cloudWatch);
    const hour = 3_600_000;
    const since = new Date(NOW - 10 * hour);
    const until = new Date(NOW + hour);
    expect(await publisher.newest('a-drill', 'DrillSucceeded', since, until)).toBeUndefined();
    await publisher.metrics('a-drill', { DrillSucceeded: 1 }, new Date(NOW - 5 * hour));
    await publisher.metrics('a-drill', { DrillSucceeded: 1 }, new Date(NOW - 2 * hour + 60_000));
    await publisher.metrics('a-drill', { DrillSucceeded: 0 }, new Date(NOW - 2 * hour + 120_000));
    await publisher.metrics('a-drill', { DrillSucceeded: 1 }, new Date(NOW - 8 * hour));
    // Another drill's, another metric's, and a point before the window are not read.
    await publisher.metrics('b-drill', { DrillSucceeded: 1 }, new Date(NOW - hour));
    await publisher.metrics('a-drill', { DrillHealthy: 1 }, new Date(NOW - hour));
    await publisher.metrics('a-drill', { DrillSucceeded: 1 }, new Date(NOW - 11 * hour));
    expect(await publisher.newest('a-drill', 'DrillSucceeded', since, until)).toEqual({ value: 0, at: new Date(NOW - 2 * hour) });
    endpoint.faults.failNext('GetMetricStatistics', 1, () => new ServiceError('AccessDeniedException', 'denied', 403));
    await expect(publisher.newest('a-drill', 'DrillSucceeded', since, until)).rejects.toThrow(
      'GetMetricStatistics for metric DrillSucceeded of drill a-drill failed: AccessDeniedException',
    );
  });

  test('a data point without its time or minimum is not taken', async () => {
    const answering = (Datapoints: unknown[]) => ({ send: () => Promise.resolve({ Datapoints }) }) as unknown as CloudWatchClient;
    const at = new Date(NOW);
    const newest = (points: unknown[]) => awsDrillPublisher(retrier(), answering(points)).newest('a', 'DrillSucceeded', at, at);
    expect(await newest([{ Minimum: 1 }, { Timestamp: at }])).toBeUndefined();
    expect(await newest([{ Timestamp: at, Minimum: 0 }, { Minimum: 1 }])).toEqual({ value: 0, at });
    expect(await newest(undefined as never)).toBeUndefined();
  });

  test('the result event is sent with the library’s source; an entry EventBridge refuses fails the step', async () => {
    const results = eventBridgeResults(retrier(), clients.events);
    await results.send({ drill: 'a-drill', outcome: 'passed' });
    expect(endpoint.published.events).toEqual([
      {
        source: 'cdk-redshift-serverless-snapshot',
        detailType: 'Redshift Serverless Restore Drill Result',
        detail: { drill: 'a-drill', outcome: 'passed' },
      },
    ]);
    endpoint.published.refuseNextEvents(1);
    await expect(results.send({ drill: 'a-drill', outcome: 'failed' })).rejects.toThrow(
      "PutEvents refused the drill's result event: InternalFailure: the entry could not be put",
    );
    endpoint.faults.failNext('PutEvents', 1, () => new ServiceError('AccessDeniedException', 'denied', 403));
    await expect(results.send({ drill: 'a-drill' })).rejects.toThrow(
      'PutEvents for the result of drill a-drill failed: AccessDeniedException',
    );
    expect(endpoint.published.events).toHaveLength(1);
  });
});
