/*
 * Records a release's upgrade fixture: the resource properties that release renders for the
 * representative snapshots, and each snapshot as that release's own handler leaves it on the
 * local endpoint (tags, retention, resource policy). The upgrade test replays them against the
 * current handler. Run once per release, on a checkout of the release with its handler bundle
 * built and this project's node_modules reachable from it:
 *
 *   git worktree add /tmp/release v0.2.0 && ln -s "$PWD/node_modules" /tmp/release/node_modules
 *   (cd /tmp/release && node scripts/bundle-handler.mjs)
 *   npx tsx test/upgrade/record-release.ts /tmp/release 0.2.0 <commit>
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { LocalRedshiftServerless } from '../local-endpoint';
import { LifecycleDriver } from '../lifecycle/driver';
import { startShippedHandler } from '../lifecycle/shipped-handler';
import { ReleaseFixture } from './release-fixture';
import {
  REPRESENTATIVE_IDS,
  renderRepresentativeSnapshots,
  SnapshotConstruct,
  UPGRADE_NAMESPACE,
  UPGRADE_STACK_ID,
} from './representative-snapshots';

async function record(tree: string, release: string, commit: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const library = require(path.join(tree, 'lib')) as { RedshiftServerlessSnapshot: SnapshotConstruct };
  const rendered = renderRepresentativeSnapshots(library.RedshiftServerlessSnapshot);

  const endpoint = new LocalRedshiftServerless({ creationMs: 50 });
  endpoint.model.addNamespace(UPGRADE_NAMESPACE);
  const handler = await startShippedHandler(await endpoint.start(), { bundle: path.join(tree, 'assets', 'handler', 'index.js') });
  try {
    const resources: Partial<ReleaseFixture['resources']> = {};
    for (const id of REPRESENTATIVE_IDS) {
      const { logicalId, properties, deletionPolicy, updateReplacePolicy } = rendered[id];
      const driver = new LifecycleDriver(handler, { stackId: UPGRADE_STACK_ID, logicalResourceId: logicalId });
      const created = await driver.create(properties);
      if (created.status !== 'SUCCESS') throw new Error(`${release}'s handler could not create ${id}: ${created.reason}`);
      const name = created.physicalResourceId;
      const snapshot = endpoint.model.state().find((s) => s.name === name);
      if (!snapshot) throw new Error(`${id}: no snapshot ${name} on the endpoint`);
      const policy = endpoint.model.policyOf(name);
      resources[id] = {
        logicalId,
        physicalResourceId: name,
        deletionPolicy,
        updateReplacePolicy,
        properties,
        snapshot: {
          name,
          namespaceName: snapshot.namespace,
          retentionPeriod: snapshot.retention,
          tags: snapshot.tags,
          policyStatements: policy === undefined ? [] : statementsOf(policy),
        },
      };
    }
    const fixture: ReleaseFixture = { release, commit, stackId: UPGRADE_STACK_ID, resources: resources as ReleaseFixture['resources'] };
    const file = path.join(__dirname, 'releases', `${release}.json`);
    writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
    console.log(`${file}: ${REPRESENTATIVE_IDS.length} snapshots as ${release} left them`);
  } finally {
    await handler.stop();
    await endpoint.stop();
  }
}

/** The policy's statements without the `Resource` the service adds (it names the snapshot's ARN, which a replay gives anew). */
function statementsOf(policy: string): Record<string, unknown>[] {
  const statements = [(JSON.parse(policy) as { Statement: unknown }).Statement].flat() as Record<string, unknown>[];
  return statements.map(({ Resource: _resource, ...statement }) => statement);
}

const [tree, release, commit] = process.argv.slice(2);
if (!tree || !release || !commit) {
  console.error('usage: npx tsx test/upgrade/record-release.ts <release checkout> <version> <commit>');
  process.exit(2);
}
record(path.resolve(tree), release, commit).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
