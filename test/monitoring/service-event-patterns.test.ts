/*
 * The rules' patterns against the service's events, in each shape the fact registry finds
 * plausible (verify/facts.ts, service-event-fields): the events the local endpoint sends when a
 * schedule's snapshot or a restore completes, and the registry's samples, matched with
 * EventBridge's rules (event-pattern-matcher.ts). Under a shape the patterns do not recognise,
 * the schedule's rule matches nothing, so its alarm fires: loud, never quiet.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RedshiftServerlessRestore, RedshiftServerlessSnapshotSchedule, RestoreSource, SnapshotSchedule } from '../../lib';
import { FACTS } from '../../verify/facts';
import { Happening, sampleEvent, SERVICE_EVENT_SHAPES, ServiceEventShape } from '../../verify/service-event-samples';
import { RedshiftServerlessModel } from '../local-endpoint/model';
import { EventPattern, matchesEventPattern } from './event-pattern-matcher';

/** The shapes whose events the library's patterns find; the others make the alarm fire. */
const RECOGNISED: readonly ServiceEventShape[] = ['source-identifier', 'resource-name-field', 'message-only'];

/** The onRestoreEvent pattern of a restore into `namespaceName`. */
function restorePatterns(namespaceName: string): EventPattern {
  const stack = new Stack(new App(), 'Data');
  const restore = new RedshiftServerlessRestore(stack, 'Refresh', {
    namespaceName,
    workgroupName: namespaceName,
    source: RestoreSource.latestSnapshot({ namespaceName: 'production', namePrefix: 'production-nightly' }),
  });
  restore.onRestoreEvent('Told');
  const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')) as {
    Properties: { EventPattern: EventPattern };
  }[];
  return rule.Properties.EventPattern;
}

function patterns() {
  const stack = new Stack(new App(), 'Data');
  const nightly = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
    namespaceName: 'analytics',
    schedule: SnapshotSchedule.cron({ hour: '3' }),
    snapshotNamePrefix: 'analytics-nightly',
  });
  nightly.alarmOnMissedSnapshot('Missed');
  const refresh = new RedshiftServerlessRestore(stack, 'Refresh', {
    namespaceName: 'staging',
    workgroupName: 'staging',
    source: RestoreSource.latestSnapshot({ namespaceName: 'analytics', namePrefix: 'analytics-nightly' }),
  });
  refresh.onRestoreEvent('Told');
  const rules = Template.fromStack(stack).findResources('AWS::Events::Rule') as Record<
    string,
    { Properties: { EventPattern: EventPattern } }
  >;
  const byId = (part: string) => Object.entries(rules).find(([id]) => id.includes(part))![1].Properties.EventPattern;
  return { snapshots: byId('SnapshotsOrDeploys'), namespace: byId('Told') };
}

const at = Date.UTC(2026, 11, 3, 3, 4);
const nightlySnapshot: Happening = {
  kind: 'snapshot-completed',
  snapshotName: 'analytics-nightly-2026-12-03t03-00-00',
  namespaceName: 'analytics',
  at,
};

describe('the matcher follows EventBridge', () => {
  const event = { source: 'aws.x', detail: { name: 'abc-1', tags: ['a', 'b'] } };
  test.each([
    [{ source: ['aws.x'] }, true],
    [{ source: ['aws.y', 'aws.x'] }, true],
    [{ detail: { name: [{ prefix: 'abc-' }] } }, true],
    [{ detail: { name: [{ prefix: 'abd' }] } }, false],
    [{ detail: { name: [{ wildcard: '*c-*' }] } }, true],
    [{ detail: { name: [{ wildcard: 'c-*' }] } }, false],
    [{ detail: { tags: ['b'] } }, true],
    [{ detail: { missing: ['abc-1'] } }, false],
    [{ detail: { $or: [{ missing: ['x'] }, { name: ['abc-1'] }] } }, true],
    [{ detail: { $or: [{ missing: ['x'] }, { name: ['abc'] }] } }, false],
    [{ detail: { missing: [{ exists: false }] } }, true],
    [{ detail: { name: [{ exists: false }] } }, false],
    [{ detail: { name: [{ exists: true }] } }, true],
    [{ detail: { missing: [{ exists: true }] } }, false],
  ])('%j matches: %s', (pattern, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  test('an operator outside the subset fails instead of being guessed', () => {
    expect(() => matchesEventPattern({ source: [{ 'anything-but': 'x' }] }, event)).toThrow('Unsupported matcher');
    expect(() => matchesEventPattern({ source: [{ exists: false }, 'aws.x'] }, event)).toThrow('Unsupported matcher');
  });
});

describe.each(SERVICE_EVENT_SHAPES)('events shaped %s', (shape) => {
  const recognised = RECOGNISED.includes(shape);

  // Synthesized in each test, not once for the file: what a test reads is made while it runs.
  test(`the schedule's rule ${recognised ? 'counts' : 'misses (so the alarm fires)'} its completed snapshot`, () => {
    const { snapshots } = patterns();
    expect(matchesEventPattern(snapshots, sampleEvent(shape, nightlySnapshot))).toBe(recognised);
  });

  test("the schedule's rule never counts another snapshot, nor a restore from one of its own", () => {
    const { snapshots } = patterns();
    for (const other of [
      { ...nightlySnapshot, snapshotName: 'analytics-weekly-2026-12-03t03-00-00' },
      { ...nightlySnapshot, snapshotName: 'before-migration-42' },
    ]) {
      expect(matchesEventPattern(snapshots, sampleEvent(shape, other))).toBe(false);
    }
    const restore: Happening = {
      kind: 'restore-completed',
      namespaceName: 'staging',
      from: `snapshot:${nightlySnapshot.snapshotName}`,
      at,
    };
    expect(matchesEventPattern(snapshots, sampleEvent(shape, restore))).toBe(false);
  });

  // The namespace's rule asks for no detail-type: only a name in an unknown field escapes it.
  const heard = shape !== 'unrecognised';
  const analytics = (kind: Happening['kind'], namespaceName = 'analytics'): Happening =>
    kind === 'restore-completed' || kind === 'restore-failed'
      ? { kind, namespaceName, from: 'snapshot:analytics-nightly-2026-12-03t03-00-00', at }
      : kind === 'snapshot-completed'
        ? { kind, namespaceName, snapshotName: `${namespaceName}-nightly-2026-12-03t03-00-00`, at }
        : { kind, namespaceName, at };
  const restoreOfAnalytics = () => restorePatterns('analytics');

  test(`a restore into analytics ${heard ? 'hears' : 'does not hear'} 1004 to 1007 and 1045 to 1047 about analytics`, () => {
    const about: Happening[] = [
      analytics('restore-completed'),
      analytics('restore-failed'),
      { kind: 'restore-completed', namespaceName: 'analytics', from: 'recoveryPoint:0f3c2a1e-rp', at },
      { kind: 'restore-failed', namespaceName: 'analytics', from: 'recoveryPoint:0f3c2a1e-rp', at },
      analytics('datashare-dropped'),
      analytics('consumer-revoked'),
      analytics('public-access-changed'),
    ];
    const ids = about.map((happening) => sampleEvent(shape, happening).detail.eventId);
    expect(ids).toEqual([1004, 1005, 1006, 1007, 1045, 1046, 1047].map((id) => `REDSHIFT-SERVERLESS-EVENT-${id}`));
    for (const happening of about) expect(matchesEventPattern(restoreOfAnalytics(), sampleEvent(shape, happening))).toBe(heard);
  });

  test('a restore into analytics never hears its nightly, a restore of staging from its snapshot, nor analytics-recovery or analytics2', () => {
    const others: Happening[] = [
      analytics('snapshot-completed'),
      { kind: 'restore-completed', namespaceName: 'staging', from: 'snapshot:analytics-nightly-2026-12-03t03-00-00', at },
      { kind: 'restore-failed', namespaceName: 'staging', from: 'snapshot:analytics', at },
      // A snapshot named after the namespace.
      { kind: 'snapshot-completed', namespaceName: 'production', snapshotName: 'analytics', at },
      ...(['analytics-recovery', 'analytics2'] as const).flatMap((namespaceName) =>
        (
          [
            'snapshot-completed',
            'restore-completed',
            'restore-failed',
            'datashare-dropped',
            'consumer-revoked',
            'public-access-changed',
          ] as const
        ).map((kind) => analytics(kind, namespaceName)),
      ),
    ];
    for (const happening of others) {
      expect([happening, matchesEventPattern(restoreOfAnalytics(), sampleEvent(shape, happening))]).toEqual([happening, false]);
    }
  });

  test('the local endpoint switched to it: a scheduled snapshot completes, and its event is counted only when recognised', () => {
    const model = new RedshiftServerlessModel({ serviceEventShape: shape, creationMs: 0 });
    model.addNamespace('analytics');
    model.createScheduledAction({
      scheduledActionName: 'nightly',
      namespaceName: 'analytics',
      roleArn: 'arn:aws:iam::123456789012:role/scheduler',
      schedule: { cron: '(0 3 * * ? *)' },
      targetAction: { createSnapshot: { namespaceName: 'analytics', snapshotNamePrefix: 'analytics-nightly' } },
    });
    const taken = model.triggerScheduledAction('nightly');
    model.createSnapshot({ namespaceName: 'analytics', snapshotName: 'analytics-manual' });
    const events = model.serviceEvents();
    const { snapshots } = patterns();
    expect(events.map((e) => e.detail.eventId)).toEqual(['REDSHIFT-SERVERLESS-EVENT-1000', 'REDSHIFT-SERVERLESS-EVENT-1000']);
    const counted = events.filter((e) => matchesEventPattern(snapshots, e));
    expect(counted.map((e) => JSON.stringify(e))).toEqual(recognised ? [expect.stringContaining(taken)] : []);
  });
});

test("a name field must equal the target namespace's name, not start with it; a source identifier counts for a NAMESPACE source only", () => {
  const { namespace } = patterns();
  const naming = (sourceIdentifier: string, sourceType = 'NAMESPACE') => ({
    source: 'aws.redshift-serverless',
    'detail-type': 'x',
    detail: { sourceType, sourceIdentifier },
  });
  expect(matchesEventPattern(namespace, naming('staging'))).toBe(true);
  expect(matchesEventPattern(namespace, naming('staging-eu'))).toBe(false);
  expect(matchesEventPattern(namespace, naming('staging', 'SNAPSHOT'))).toBe(false);
});

test('in a message, the name ends at a space, a full stop, a comma or the end of the text, after the published words', () => {
  const pattern = restorePatterns('analytics');
  const saying = (eventMessage: string) => ({ source: 'aws.redshift-serverless', 'detail-type': 'x', detail: { eventMessage } });
  expect(matchesEventPattern(pattern, saying('Restore from snapshot a on namespace analytics completed'))).toBe(true);
  expect(matchesEventPattern(pattern, saying('restore from snapshot a on namespace analytics, at 03:00'))).toBe(true);
  expect(matchesEventPattern(pattern, saying('Restore from recovery point r on namespace analytics'))).toBe(true);
  expect(matchesEventPattern(pattern, saying('Datashare x of namespace analytics. Dropped due to serverless restore'))).toBe(true);
  expect(matchesEventPattern(pattern, saying('Restore from snapshot a on namespace analytics-eu completed'))).toBe(false);
  expect(matchesEventPattern(pattern, saying('Restore from snapshot analytics on namespace staging completed'))).toBe(false);
  // Words of a snapshot's name are not the published words: a safety snapshot named ...-restore-... is not a restore.
  expect(matchesEventPattern(pattern, saying('Snapshot analytics-before-restore-1 of namespace analytics completed successfully.'))).toBe(
    false,
  );
});

test("onSnapshotCompleted's and the metric's rules count the schedule's completed snapshots only, as the alarm's does", () => {
  const stack = new Stack(new App(), 'Data');
  const nightly = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
    namespaceName: 'analytics',
    schedule: SnapshotSchedule.cron({ hour: '3' }),
    snapshotNamePrefix: 'analytics-nightly',
  });
  nightly.onSnapshotCompleted('Completed');
  nightly.metricSnapshotsCompleted();
  const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')) as {
    Properties: { EventPattern: EventPattern };
  }[];
  expect(rules).toHaveLength(2);
  const completed = (snapshotName: string) => ({ ...nightlySnapshot, snapshotName });
  for (const { Properties } of rules) {
    for (const shape of RECOGNISED) {
      expect(matchesEventPattern(Properties.EventPattern, sampleEvent(shape, nightlySnapshot))).toBe(true);
      expect(matchesEventPattern(Properties.EventPattern, sampleEvent(shape, completed('analytics-weekly-2026-12-03t03-00-00')))).toBe(
        false,
      );
    }
    expect(matchesEventPattern(Properties.EventPattern, sampleEvent('source-identifier', completed('analytics-nightly-before-fix')))).toBe(
      false,
    );
    // Another service's event, or another detail-type, naming the same snapshot.
    expect(
      matchesEventPattern(Properties.EventPattern, { ...sampleEvent('source-identifier', nightlySnapshot), source: 'aws.redshift' }),
    ).toBe(false);
    expect(matchesEventPattern(Properties.EventPattern, sampleEvent('other-detail-type', nightlySnapshot))).toBe(false);
  }
});

test("a prefix too long for the exact pattern: the shorter one counts the schedule's snapshots, and (as its warning says) a longer prefix's", () => {
  const prefix = 'p'.repeat(200);
  const stack = new Stack(new App(), 'Data');
  const nightly = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
    namespaceName: 'analytics',
    schedule: SnapshotSchedule.cron({ hour: '3' }),
    snapshotNamePrefix: prefix,
  });
  nightly.onSnapshotCompleted('Completed');
  const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')) as {
    Properties: { EventPattern: EventPattern };
  }[];
  const completed = (snapshotName: string) => sampleEvent('source-identifier', { ...nightlySnapshot, snapshotName });
  expect(matchesEventPattern(rule.Properties.EventPattern, completed(`${prefix}-2026-12-03t03-00-00`))).toBe(true);
  expect(matchesEventPattern(rule.Properties.EventPattern, completed(`${prefix}-eu-2026-12-03t03-00-00`))).toBe(true);
  expect(matchesEventPattern(rule.Properties.EventPattern, completed(`${prefix}2026-12-03t03-00-00`))).toBe(false);
});

test('two schedules whose prefixes extend each other, and a manual snapshot that starts with a prefix, are told apart by name fields', () => {
  const { snapshots } = patterns();
  const completed = (snapshotName: string) => ({ ...nightlySnapshot, snapshotName });
  for (const shape of ['source-identifier', 'resource-name-field'] as const) {
    expect(matchesEventPattern(snapshots, sampleEvent(shape, completed('analytics-nightly-2026-12-03t03-00-00')))).toBe(true);
    expect(matchesEventPattern(snapshots, sampleEvent(shape, completed('analytics-nightly-eu-2026-12-03t03-00-00')))).toBe(false);
    expect(matchesEventPattern(snapshots, sampleEvent(shape, completed('analytics-nightly-before-fix')))).toBe(false);
  }
});

test('no event at all (the endpoint switched to none): nothing is counted, so the alarm fires', () => {
  const model = new RedshiftServerlessModel({ serviceEventShape: 'none', creationMs: 0 });
  model.addNamespace('analytics');
  model.createSnapshot({ namespaceName: 'analytics', snapshotName: 'analytics-nightly-1' });
  expect(model.serviceEvents()).toEqual([]);
});

test('the registry lists every shape as an answer of service-event-fields, each with its switch and this test', () => {
  const fact = FACTS.find((f) => f.id === 'service-event-fields')!;
  const switched = fact.answers.map((a) => ('option' in a.localEndpoint ? a.localEndpoint.value : undefined));
  expect(switched).toEqual([...SERVICE_EVENT_SHAPES, 'none']);
  for (const answer of fact.answers) expect(answer.shownBy).toBe('test/monitoring/service-event-patterns.test.ts');
});
