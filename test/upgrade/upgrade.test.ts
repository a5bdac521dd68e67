/*
 * Our published releases are a contract too. For each release's fixture (test/upgrade/releases/,
 * recorded by record-release.ts), the snapshots are put on the local endpoint exactly as that
 * release's handler left them, and the current shipped handler receives what CloudFormation
 * sends when a user upgrades: the Update from the release's properties to today's synth of the
 * same constructs, later changes, the upgrade's rollback (handled by the new handler, since
 * CloudFormation updates the functions first) and a stack deletion. Nothing may be lost, taken
 * again or left shared beyond what the CHANGELOG's upgrade notes say.
 */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { RedshiftServerlessSnapshot } from '../../lib';
import { LifecycleDriver, Properties, StepReport } from '../lifecycle/driver';
import { endpoint, handler, names, useScenarioEnvironment } from '../lifecycle/scenario-support';
import { RecordedSnapshot, ReleaseFixture } from './release-fixture';
import {
  REPRESENTATIVE_IDS,
  RepresentativeId,
  renderRepresentativeSnapshots,
  RenderedSnapshot,
  UPGRADE_NAMESPACE,
} from './representative-snapshots';

const RELEASES = path.join(__dirname, 'releases');
const fixtures = readdirSync(RELEASES)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(path.join(RELEASES, file), 'utf8')) as ReleaseFixture);

/**
 * What the CHANGELOG's upgrade notes promise, per release: which representative snapshots are
 * taken anew under a new name on the upgrade (0.2.0: "Generated names change for a snapshot
 * whose namespace is given as a construct"). Every other one keeps its snapshot as it is.
 */
const RETAKEN_ON_UPGRADE: Record<string, readonly RepresentativeId[]> = {
  '0.1.0': ['Generated'],
  '0.2.0': [],
  '0.3.0': [],
};

const today = renderRepresentativeSnapshots(RedshiftServerlessSnapshot);

test('there is a fixture for every release the CHANGELOG lists, and its upgrade notes are encoded here', () => {
  const changelog = readFileSync(path.join(__dirname, '..', '..', 'CHANGELOG.md'), 'utf8');
  const released = [...changelog.matchAll(/^## \[?(\d+\.\d+\.\d+)\]?/gm)].map((match) => match[1]);
  // A release's own fixture is recorded after it ships; the newest may not have one yet.
  const older = released.slice(1);
  expect(fixtures.map((f) => f.release).sort()).toEqual(expect.arrayContaining(older.sort()));
  expect(Object.keys(RETAKEN_ON_UPGRADE).sort()).toEqual(fixtures.map((f) => f.release).sort());
});

describe.each(fixtures.map((fixture) => [fixture.release, fixture] as const))('upgrading from %s', (release, fixture) => {
  useScenarioEnvironment();

  const retaken = RETAKEN_ON_UPGRADE[release];
  const recorded = (id: RepresentativeId): RecordedSnapshot => fixture.resources[id];
  const now = (id: RepresentativeId): RenderedSnapshot => today[id];
  const driverFor = (id: RepresentativeId) =>
    new LifecycleDriver(handler, {
      stackId: fixture.stackId,
      logicalResourceId: recorded(id).logicalId,
      stackStatus: (stackId, status) => endpoint.stacks.set(stackId, status),
    });

  /** The snapshots put back on the endpoint exactly as the release's handler left them. */
  function replayRelease(): void {
    for (const id of REPRESENTATIVE_IDS) endpoint.model.addSnapshot(recorded(id).snapshot);
  }

  /** How a snapshot looks now: retention, tags and the accounts its policy lets restore. */
  function stateOf(name: string) {
    const snapshot = endpoint.model.state().find((s) => s.name === name);
    const policy = endpoint.model.policyOf(name);
    const statements =
      policy === undefined
        ? []
        : ([(JSON.parse(policy) as { Statement: unknown }).Statement].flat() as { Principal?: { AWS?: string | string[] } }[]);
    const accounts = statements.flatMap((s) =>
      [s.Principal?.AWS ?? []].flat().map((principal) => principal.replace(/^arn:aws:iam::(\d{12}):root$/, '$1')),
    );
    return snapshot && { retention: snapshot.retention, tags: snapshot.tags, restoreAccounts: accounts.sort() };
  }

  /** The snapshot as the release left it, for comparison with stateOf. */
  function asLeft(id: RepresentativeId) {
    const { snapshot } = recorded(id);
    const accounts = snapshot.policyStatements.flatMap((s) =>
      [(s as { Principal?: { AWS?: unknown } }).Principal?.AWS ?? []].flat().map(String),
    );
    return { retention: snapshot.retentionPeriod, tags: snapshot.tags, restoreAccounts: accounts.sort() };
  }

  /** The stack update to today's template, as CloudFormation runs it for one resource. */
  async function upgrade(id: RepresentativeId): Promise<StepReport> {
    const d = driverFor(id);
    const update = await d.update(recorded(id).physicalResourceId, recorded(id).properties, now(id).properties);
    const replaced = update.status === 'SUCCESS' && update.physicalResourceId !== recorded(id).physicalResourceId;
    // The cleanup Delete of a replaced resource is sent only when the new template's UpdateReplacePolicy is Delete.
    if (replaced && now(id).updateReplacePolicy === 'Delete') {
      await d.delete(recorded(id).physicalResourceId, recorded(id).properties, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    }
    return update;
  }

  const writes = (from: number, operations: string[]) =>
    endpoint.calls.slice(from).filter((call) => operations.includes(call.operation) && call.outcome === 'ok');

  test('the upgrade keeps every snapshot the release took, and takes anew only what the CHANGELOG says', async () => {
    replayRelease();
    const mark = endpoint.calls.length;
    for (const id of REPRESENTATIVE_IDS) {
      const update = await upgrade(id);
      expect([id, update.status, update.reason]).toEqual([id, 'SUCCESS', undefined]);
      if (retaken.includes(id)) expect(update.physicalResourceId).not.toBe(recorded(id).physicalResourceId);
      else expect(update.physicalResourceId).toBe(recorded(id).physicalResourceId);
    }
    // Every snapshot the release left is there, exactly as it was: nothing deleted, untagged, re-shared or unshared.
    for (const id of REPRESENTATIVE_IDS) expect([id, stateOf(recorded(id).snapshot.name)]).toEqual([id, asLeft(id)]);
    expect(writes(mark, ['DeleteSnapshot', 'UntagResource', 'PutResourcePolicy', 'DeleteResourcePolicy'])).toEqual([]);
    expect(writes(mark, ['CreateSnapshot']).map((call) => call.input.snapshotName)).toEqual(
      retaken.map((id) => now(id).properties.SnapshotName),
    );
  });

  test('later changes after the upgrade work on the snapshots the release took: retention in place, a share removed', async () => {
    replayRelease();
    for (const id of REPRESENTATIVE_IDS) await upgrade(id);
    const kept = REPRESENTATIVE_IDS.filter((id) => !retaken.includes(id));
    for (const id of kept) {
      const changed: Properties = { ...now(id).properties, RetentionPeriod: '14' };
      delete changed.RestoreAccounts;
      const update = await driverFor(id).update(recorded(id).physicalResourceId, now(id).properties, changed);
      expect([id, update.status, update.physicalResourceId]).toEqual([id, 'SUCCESS', recorded(id).physicalResourceId]);
      expect([id, stateOf(recorded(id).snapshot.name)]).toEqual([id, { ...asLeft(id), retention: 14, restoreAccounts: [] }]);
    }
  });

  test("the upgrade's rollback, run by the new handler, returns every resource to the release's snapshot and deletes nothing", async () => {
    replayRelease();
    const upgraded: Partial<Record<RepresentativeId, string>> = {};
    for (const id of REPRESENTATIVE_IDS) upgraded[id] = (await upgrade(id)).physicalResourceId;
    const mark = endpoint.calls.length;
    for (const id of REPRESENTATIVE_IDS) {
      const d = driverFor(id);
      const rollback = await d.rollback(upgraded[id] ?? '', now(id).properties, recorded(id).properties);
      expect([id, rollback.status, rollback.reason, rollback.physicalResourceId]).toEqual([
        id,
        'SUCCESS',
        undefined,
        recorded(id).physicalResourceId,
      ]);
      // A resource the rollback moved back gets a cleanup Delete of the id it left, as the restored template's UpdateReplacePolicy says.
      if (upgraded[id] !== recorded(id).physicalResourceId && recorded(id).updateReplacePolicy === 'Delete') {
        const cleanup = await d.delete(upgraded[id] ?? '', now(id).properties, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
        expect(cleanup.status).toBe('SUCCESS');
      }
    }
    for (const id of REPRESENTATIVE_IDS) expect([id, stateOf(recorded(id).snapshot.name)]).toEqual([id, asLeft(id)]);
    // The snapshots the upgrade took anew are kept too: today's template says RETAIN for them.
    for (const id of retaken) expect(names()).toContain(now(id).properties.SnapshotName);
    expect(writes(mark, ['CreateSnapshot', 'DeleteSnapshot', 'PutResourcePolicy', 'DeleteResourcePolicy'])).toEqual([]);
  });

  test("deleting the stack after the upgrade deletes only what today's template says to delete", async () => {
    replayRelease();
    const upgraded: Partial<Record<RepresentativeId, string>> = {};
    for (const id of REPRESENTATIVE_IDS) upgraded[id] = (await upgrade(id)).physicalResourceId;
    for (const id of REPRESENTATIVE_IDS) {
      // CloudFormation sends a Delete only where the template's DeletionPolicy is Delete.
      if (now(id).deletionPolicy !== 'Delete') continue;
      const deleted = await driverFor(id).delete(upgraded[id] ?? '', now(id).properties, 'DELETE_IN_PROGRESS');
      expect(deleted.status).toBe('SUCCESS');
    }
    const destroyed = REPRESENTATIVE_IDS.filter((id) => now(id).properties.RemovalPolicy === 'destroy');
    expect(destroyed).toEqual(['Destroyed']);
    const expected = [
      ...REPRESENTATIVE_IDS.filter((id) => !destroyed.includes(id)).map((id) => recorded(id).snapshot.name),
      ...retaken.map((id) => String(now(id).properties.SnapshotName)),
    ].sort();
    expect(names()).toEqual(expected);
    expect(endpoint.model.state().every((s) => s.namespace === UPGRADE_NAMESPACE)).toBe(true);
  });
});
