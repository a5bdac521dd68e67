/*
 * The README's examples as one story, deployed as a reader would follow the page: the snapshot
 * and the schedule first, the schedule's nights, then the staging refresh added; a new refreshOn;
 * a migration (a new schemaVersion); the refresh removed. Each deploy goes through the shipped
 * handler against the local endpoint, and each step asserts what the README's text claims.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { asStackModule, typescriptBlocks } from '../markdown-examples';
import { README } from '../markdown-files';
import { RunningHandler, startShippedHandler } from '../lifecycle/shipped-handler';
import { LocalRedshiftServerless } from '../local-endpoint';
import { StackDeployer, SynthesizedTemplate } from './stack-deployer';

const WORK_DIR = path.join(__dirname, '..', '.story-stacks');
const HOUR = 3_600_000;

/** The README's stack with its examples `blocks` (0-based), after the text edits a reader makes. */
function readmeStack(blocks: number[], edits: [string, string][] = []): SynthesizedTemplate {
  const examples = typescriptBlocks(readFileSync(README, 'utf8'));
  let source = blocks.map((i) => examples[i]).join('\n');
  for (const [from, to] of edits) {
    if (!source.includes(from)) throw new Error(`The README's examples no longer contain ${from}`);
    source = source.replace(from, to);
  }
  const file = path.join(WORK_DIR, `readme-${blocks.join('-')}-${edits.length}-${Date.now()}.ts`);
  writeFileSync(file, asStackModule(source));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Example } = require(file) as { Example: new (scope: App, id: string) => Stack };
  return Template.fromStack(new Example(new App(), 'StoryStack')).toJSON() as SynthesizedTemplate;
}

let endpoint: LocalRedshiftServerless;
let handler: RunningHandler;
/** The endpoint's clock runs ahead by this much: the nights pass between deploys. */
let offset = 0;

beforeAll(() => mkdirSync(WORK_DIR, { recursive: true }));
afterAll(() => rmSync(WORK_DIR, { recursive: true, force: true }));

// A fresh account for each story: the README's namespaces exist only once the stack makes them.
beforeEach(async () => {
  offset = 0;
  endpoint = new LocalRedshiftServerless({ creationMs: 300, restoreMs: 300, now: () => Date.now() + offset });
  handler = await startShippedHandler(await endpoint.start());
});

afterEach(async () => {
  await handler.stop();
  await endpoint.stop();
});

const snapshots = (namespace: string) => endpoint.model.state().filter((s) => s.namespace === namespace);
const restores = (namespace: string) => endpoint.model.restoresOf(namespace).map((r) => r.from);

/** A night: the schedule takes its snapshot at 03:00, and it is AVAILABLE by morning. */
function night(deployer: StackDeployer): string {
  offset += 24 * HOUR;
  const taken = endpoint.model.triggerScheduledAction(deployer.physicalIdOf('Custom::RedshiftServerlessSnapshotSchedule'));
  offset += HOUR;
  return taken;
}

test('the README, followed as written: snapshot and schedule, nights, a staging refresh, a new refreshOn, a migration, the refresh removed', async () => {
  const deployer = new StackDeployer(endpoint, handler);

  // The snapshot and the schedule: one snapshot before the migration, with its tags and retention.
  const first = await deployer.deploy(readmeStack([0, 1]));
  expect(first.map((s) => `${s.request} ${s.logicalId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual(['Create BeforeMigration', 'Create Nightly']);
  const beforeMigration = deployer.physicalIdOf('Custom::RedshiftServerlessSnapshot');
  expect(snapshots('analytics')).toEqual([
    expect.objectContaining({
      name: beforeMigration,
      status: 'AVAILABLE',
      retention: 30,
      tags: expect.objectContaining({ purpose: 'pre-migration', team: 'data-platform' }) as unknown,
    }),
  ]);

  // Two nights: the schedule's snapshots carry its prefix and retention.
  const nights = [night(deployer), night(deployer)];
  for (const name of nights) {
    expect(name).toMatch(/^analytics-nightly-/);
    expect(snapshots('analytics').find((s) => s.name === name)).toMatchObject({ status: 'AVAILABLE', retention: 14 });
  }

  // The refresh added: staging gets the newest nightly of "analytics"; analytics is untouched.
  const refreshed = await deployer.deploy(readmeStack([0, 1, 2]));
  expect(refreshed.map((s) => `${s.request} ${s.logicalId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual(['Create RefreshStaging']);
  expect(restores('staging')).toEqual([`snapshot:${nights[1]}`]);
  expect(endpoint.model.dataOf('staging')).toBe('namespace:analytics');
  expect(restores('analytics')).toEqual([]);
  expect(endpoint.model.dataOf('analytics')).toBe('namespace:analytics');
  // A safety snapshot of staging's own data was taken first.
  expect(snapshots('staging').map((s) => s.name)).toEqual([expect.stringMatching(/^staging-before-restore-/)]);

  // A new refreshOn after another night restores again, from that night's snapshot.
  const third = night(deployer);
  const refreshedAgain = await deployer.deploy(readmeStack([0, 1, 2], [["refreshOn: '2026-w49'", "refreshOn: '2026-w50'"]]));
  expect(refreshedAgain.map((s) => s.request)).toEqual(['Update']);
  expect(restores('staging')).toEqual([`snapshot:${nights[1]}`, `snapshot:${third}`]);

  // A migration: the new schemaVersion takes a new snapshot; RETAIN keeps the old one; nothing is restored.
  const migrated = await deployer.deploy(
    readmeStack(
      [0, 1, 2],
      [
        ["refreshOn: '2026-w49'", "refreshOn: '2026-w50'"],
        ["'42'", "'43'"],
      ],
    ),
  );
  expect(migrated.map((s) => `${s.request} ${s.logicalId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual([
    'Update BeforeMigration',
    'Delete BeforeMigration',
  ]);
  const afterMigration = deployer.physicalIdOf('Custom::RedshiftServerlessSnapshot');
  expect(afterMigration).not.toBe(beforeMigration);
  expect(
    snapshots('analytics')
      .filter((s) => [beforeMigration, afterMigration].includes(s.name))
      .map((s) => s.status),
  ).toEqual(['AVAILABLE', 'AVAILABLE']);
  expect(restores('staging')).toHaveLength(2);

  // The refresh removed: deleting it touches nothing; staging keeps its data, the safety snapshots stay.
  const safetySnapshots = snapshots('staging').map((s) => s.name);
  const removed = await deployer.deploy(readmeStack([0, 1], [["'42'", "'43'"]]));
  expect(removed.map((s) => `${s.request} ${s.logicalId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual(['Delete RefreshStaging']);
  expect(restores('staging')).toHaveLength(2);
  expect(endpoint.model.dataOf('staging')).toBe('namespace:analytics');
  expect(snapshots('staging').map((s) => s.name)).toEqual(safetySnapshots);
  expect(safetySnapshots).toHaveLength(2);
});

test('the whole README deployed at once, before the schedule took a snapshot: the refresh fails, overwriting nothing', async () => {
  const deployer = new StackDeployer(endpoint, handler);
  await expect(deployer.deploy(readmeStack([0, 1, 2]))).rejects.toThrow(
    /Create of RefreshStaging\w+ failed: .*has no AVAILABLE snapshot whose name starts with "analytics-nightly".*Nothing was overwritten/,
  );
  expect(restores('staging')).toEqual([]);
  expect(endpoint.model.dataOf('staging')).toBe('namespace:staging');
});
