/*
 * The restore drill's facts, from one drill as the library runs it, by hand: a fresh scratch
 * namespace and workgroup restored from the run's snapshot at once (is the restore accepted at
 * once, and does the namespace show it running?), then `select current_user` through the Data API
 * with the run's own IAM credentials (which database user, and does the statement run as soon as
 * the restore ended?). The windows are the drill's own (lambda/drill/run-steps.ts) unless the
 * options shorten them.
 */
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand } from '@aws-sdk/client-redshift-data';
import { GetNamespaceCommand, GetWorkgroupCommand, RestoreFromSnapshotCommand } from '@aws-sdk/client-redshift-serverless';
import { errorName } from '../lambda/shared/errors';
import { Observation, ProbeContext, restoreWhenTaken, scratchNamespace } from './probes';

async function status(ctx: ProbeContext, name: string): Promise<{ namespace?: string; workgroup?: string }> {
  const namespace = await ctx.client.send(new GetNamespaceCommand({ namespaceName: name }));
  const workgroup = await ctx.client.send(new GetWorkgroupCommand({ workgroupName: name }));
  return { namespace: namespace.namespace?.status, workgroup: workgroup.workgroup?.status };
}

/** One statement to its end: the first column of the first row, or the error it failed with. */
async function statement(
  ctx: ProbeContext,
  data: RedshiftDataClient,
  workgroupName: string,
  sql: string,
): Promise<{ value?: string; error?: string }> {
  let id: string | undefined;
  try {
    id = (await data.send(new ExecuteStatementCommand({ WorkgroupName: workgroupName, Database: 'dev', Sql: sql }))).Id;
  } catch (error) {
    return { error: `${errorName(error)}: ${(error as Error).message}` };
  }
  for (;;) {
    const described = await data.send(new DescribeStatementCommand({ Id: id }));
    if (described.Status === 'FINISHED') {
      const result = await data.send(new GetStatementResultCommand({ Id: id }));
      return { value: result.Records?.[0]?.[0]?.stringValue ?? '' };
    }
    if (described.Status === 'FAILED' || described.Status === 'ABORTED') return { error: described.Error ?? described.Status };
    await ctx.sleep(ctx.sampleMs);
  }
}

/** The drill probe; `dataApiWindowMs` is how long a failing statement is sent again (the drill's window). */
export async function probeDrill(
  ctx: ProbeContext,
  data: RedshiftDataClient,
  snapshotName: string,
  dataApiWindowMs: number,
): Promise<Observation[]> {
  const name = await scratchNamespace(ctx, 'drill');
  ctx.progress(`restoring the fresh namespace ${name} from ${snapshotName}, as a drill does`);
  const firstTry = ctx.now();
  const refusals = await restoreWhenTaken(ctx, () =>
    ctx.client.send(new RestoreFromSnapshotCommand({ namespaceName: name, workgroupName: name, snapshotName })),
  );
  ctx.scratch.noteRestored(name);
  const accepted = ctx.now();
  const busy = async () => {
    const now = await status(ctx, name);
    return now.namespace !== 'AVAILABLE' || now.workgroup !== 'AVAILABLE';
  };
  // Read once at once: busy then is the at-once answer, however long the read took.
  let runningAfter: number | undefined = (await busy()) ? 0 : undefined;
  while (runningAfter === undefined && ctx.now() - accepted <= ctx.drillWatchMs * 2) {
    await ctx.sleep(ctx.sampleMs);
    if (await busy()) runningAfter = ctx.now() - accepted;
  }
  await ctx.waiter.until(`namespace ${name} and its workgroup are AVAILABLE after the restore`, async () => {
    const now = await status(ctx, name);
    return now.namespace === 'AVAILABLE' && now.workgroup === 'AVAILABLE';
  });

  const firstSent = ctx.now();
  let answer = await statement(ctx, data, name, 'select current_user');
  let attempts = 1;
  while (answer.error !== undefined && ctx.now() - firstSent < dataApiWindowMs) {
    await ctx.sleep(ctx.sampleMs);
    answer = await statement(ctx, data, name, 'select current_user');
    attempts += 1;
  }
  const user = answer.value;
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  return [
    {
      fact: 'fresh-namespace-restorable',
      observed: refusals === 0 ? 'at-once' : 'after-a-while',
      details:
        refusals === 0
          ? 'the first restore call was accepted'
          : `refused ${refusals} times (ConflictException) over ${seconds(accepted - firstTry)}`,
    },
    {
      fact: 'fresh-namespace-restore-progress',
      observed:
        runningAfter === undefined || runningAfter > ctx.drillWatchMs
          ? 'after-the-watch'
          : runningAfter === 0
            ? 'at-once'
            : 'within-the-watch',
      details:
        runningAfter === undefined
          ? `never seen running within ${seconds(ctx.drillWatchMs * 2)}`
          : `seen running ${seconds(runningAfter)} after the accepted call`,
    },
    {
      fact: 'data-api-after-restore',
      observed: attempts === 1 && user !== undefined ? 'at-once' : user !== undefined ? 'within-the-window' : 'after-the-window',
      details: user !== undefined ? `the statement ran on attempt ${attempts}` : `still failing after ${attempts} attempts`,
      serviceMessage: answer.error,
    },
    user === undefined
      ? { fact: 'database-user-of-role', observed: 'not observed', details: 'no statement ran, so no database user was seen' }
      : {
          fact: 'database-user-of-role',
          observed: user.startsWith('IAMR:') ? 'iamr-role-name' : 'other-form',
          // Only a run with a role's credentials answers for roles: an IAM user is IAM:<user>.
          details: `current_user is ${user}${user.startsWith('IAM:') ? ' (an IAM user: run with a role to answer for roles)' : ''}`,
        },
  ];
}
