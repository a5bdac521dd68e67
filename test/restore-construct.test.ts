/* The restore construct: what it renders, the one provider it shares, its role's statements, and every synth-time rule. */
import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnNamespace, CfnSnapshot, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import {
  RedshiftServerlessRestore,
  RedshiftServerlessRestoreProps,
  RedshiftServerlessSnapshot,
  RedshiftServerlessSnapshotSchedule,
  RestoreSource,
  SnapshotSchedule,
} from '../lib';

const TYPE = 'Custom::RedshiftServerlessRestore';
const SHARED_ARN = 'arn:aws:redshift-serverless:us-east-1:210987654321:snapshot/0f1e2d3c-0000-4000-8000-000000000001';
const RECOVERY_POINT = '7c1d0e2f-1111-4222-8333-944455566677';

function synth(props: Partial<RedshiftServerlessRestoreProps> = {}, more?: (stack: Stack) => void) {
  const stack = new Stack(new App(), 'Staging', { env: { account: '123456789012', region: 'us-east-1' } });
  const restore = new RedshiftServerlessRestore(stack, 'Refresh', {
    namespaceName: 'staging',
    workgroupName: 'staging',
    source: RestoreSource.snapshotName('prod-copy'),
    ...props,
  });
  more?.(stack);
  return { stack, restore, template: Template.fromStack(stack) };
}

/** The handler role's statements, by Sid. */
function statements(template: Template): Record<string, { Action: unknown; Resource: unknown; Condition?: unknown }> {
  const policies = template.findResources('AWS::IAM::Policy');
  const all = Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] } } }).Properties
        .PolicyDocument.Statement,
  );
  return Object.fromEntries(all.filter((s) => s.Sid).map((s) => [s.Sid as string, s]));
}

describe('rendering', () => {
  test('the resource carries the target, the source as written, and the defaults', () => {
    const { template } = synth({ refreshOn: '2026-w49' });
    template.hasResourceProperties(TYPE, {
      NamespaceName: 'staging',
      WorkgroupName: 'staging',
      Source: { Kind: 'snapshotName', SnapshotName: 'prod-copy' },
      RefreshOn: '2026-w49',
      SnapshotBeforeRestore: true,
      SafetySnapshotRetentionPeriod: 30,
      TimeoutSeconds: 3540,
      WaitForAvailable: true,
      ManageAdminPassword: Match.absent(),
    });
  });

  test.each([
    [RestoreSource.snapshotArn(SHARED_ARN), { Kind: 'snapshotArn', SnapshotArn: SHARED_ARN, OwnerAccount: '210987654321' }],
    [
      RestoreSource.latestSnapshot({ namespaceName: 'production', namePrefix: 'nightly' }),
      { Kind: 'latestSnapshot', NamespaceName: 'production', NamePrefix: 'nightly' },
    ],
    [
      RestoreSource.latestSnapshot({ namespaceName: 'production' }),
      { Kind: 'latestSnapshot', NamespaceName: 'production', NamePrefix: Match.absent() },
    ],
    [RestoreSource.recoveryPoint(RECOVERY_POINT), { Kind: 'recoveryPoint', RecoveryPointId: RECOVERY_POINT }],
    [
      RestoreSource.recoveryPointBefore(new Date('2026-12-01T09:30:00Z')),
      { Kind: 'recoveryPointBefore', Before: '2026-12-01T09:30:00.000Z' },
    ],
  ])('%#: each source is written as its kind and arguments', (source, expected) => {
    synth({ source }).template.hasResourceProperties(TYPE, { Source: expected });
  });

  test("a provisioned cluster's snapshot, which the API reference also documents for snapshotArn, is taken with its owner", () => {
    const arn = 'arn:aws:redshift:us-east-1:210987654321:snapshot:prod-cluster/nightly-2026-12-01';
    const { template } = synth({ source: RestoreSource.snapshotArn(arn) });
    template.hasResourceProperties(TYPE, { Source: { Kind: 'snapshotArn', SnapshotArn: arn, OwnerAccount: '210987654321' } });
    expect(statements(template).RestoreFromTheSourceSnapshots.Resource).toEqual([arn]);
  });

  test('a snapshot of this stack as the source: the restore comes after it, and the policy names no ARN that would make a cycle', () => {
    const stack = new Stack(new App(), 'Staging');
    const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'staging' });
    const workgroup = new CfnWorkgroup(stack, 'Workgroup', { workgroupName: 'staging', namespaceName: 'staging' });
    const snapshot = new RedshiftServerlessSnapshot(stack, 'BeforeMigration', { namespace, workgroup, snapshotName: 'before-migration' });
    new RedshiftServerlessRestore(stack, 'Undo', { namespace, workgroup, source: RestoreSource.snapshot(snapshot) });
    const rendered = Template.fromStack(stack);
    const [id] = Object.keys(rendered.findResources('Custom::RedshiftServerlessSnapshot'));
    const restores = rendered.findResources(TYPE);
    const [restore] = Object.values(restores) as { DependsOn: string[]; Properties: { Source: unknown } }[];
    expect(restore.DependsOn).toEqual(expect.arrayContaining([id]));
    expect(restore.Properties.Source).toEqual({ Kind: 'snapshotName', SnapshotName: { Ref: id } });
    // The snapshot is served by the same provider: its ARN in the provider's policy would be a cycle.
    expect(JSON.stringify(statements(rendered).RestoreFromTheSourceSnapshots.Resource)).toContain(':snapshot/*');
    expect(statements(rendered).ReadTheRestoredWorkgroups.Resource).toEqual([{ 'Fn::GetAtt': ['Workgroup', 'Workgroup.WorkgroupArn'] }]);
  });

  test('a snapshot of another stack, or a CfnSnapshot, as the source: the policy names its exact ARN', () => {
    const app = new App();
    const production = new Stack(app, 'Production');
    const snapshot = new RedshiftServerlessSnapshot(production, 'Nightly', { namespaceName: 'production' });
    const stack = new Stack(app, 'Staging');
    const native = new CfnSnapshot(stack, 'Native', { snapshotName: 'native-copy', namespaceName: 'production' });
    new RedshiftServerlessRestore(stack, 'FromOther', {
      namespaceName: 'staging',
      workgroupName: 'staging',
      source: RestoreSource.snapshot(snapshot),
    });
    new RedshiftServerlessRestore(stack, 'FromNative', {
      namespaceName: 'testing',
      workgroupName: 'testing',
      source: RestoreSource.snapshot(native),
    });
    const resources = statements(Template.fromStack(stack)).RestoreFromTheSourceSnapshots.Resource as unknown[];
    expect(JSON.stringify(resources)).toContain('Fn::ImportValue');
    expect(resources).toContainEqual({ 'Fn::GetAtt': ['Native', 'Snapshot.SnapshotArn'] });
  });

  test("latestOf(schedule): the schedule's namespace and prefix as a latestSnapshot search, and the restore after the schedule", () => {
    const stack = new Stack(new App(), 'Data');
    const nightly = new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
      namespaceName: 'analytics',
      schedule: SnapshotSchedule.cron({ hour: '3' }),
      snapshotNamePrefix: 'analytics-nightly',
    });
    new RedshiftServerlessRestore(stack, 'Refresh', {
      namespaceName: 'staging',
      workgroupName: 'staging',
      source: RestoreSource.latestOf(nightly),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TYPE, {
      Source: { Kind: 'latestSnapshot', NamespaceName: 'analytics', NamePrefix: 'analytics-nightly' },
    });
    const [scheduleId] = Object.keys(template.findResources('Custom::RedshiftServerlessSnapshotSchedule'));
    const [restore] = Object.values(template.findResources(TYPE)) as { DependsOn: string[] }[];
    expect(restore.DependsOn).toContain(scheduleId);
  });

  test('a snapshot, a schedule and two restores share one provider: the function count does not grow', () => {
    const { template } = synth({}, (stack) => {
      new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'production' });
      new RedshiftServerlessSnapshotSchedule(stack, 'Nightly', {
        namespaceName: 'production',
        schedule: SnapshotSchedule.cron({ hour: '3' }),
      });
      new RedshiftServerlessRestore(stack, 'Dr', {
        namespaceName: 'disaster',
        workgroupName: 'disaster',
        source: RestoreSource.snapshotArn(SHARED_ARN),
      });
    });
    const alone = new Stack(new App(), 'Alone');
    new RedshiftServerlessSnapshot(alone, 'Snapshot', { namespaceName: 'production' });
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(
      Object.keys(Template.fromStack(alone).findResources('AWS::Lambda::Function')).length,
    );
  });

  test('the attributes read from the resource', () => {
    const { restore, stack } = synth();
    const resolved = stack.resolve([
      restore.restoredSnapshotName,
      restore.safetySnapshotName,
      restore.restoredAt,
      restore.namespaceStatus,
    ]) as {
      'Fn::GetAtt': string[];
    }[];
    expect(resolved.map((r) => r['Fn::GetAtt'][1])).toEqual([
      'RestoredSnapshotName',
      'SafetySnapshotName',
      'RestoredAt',
      'NamespaceStatus',
    ]);
  });
});

describe("the handler role's statements", () => {
  test('by name: this account, nothing of KMS or Secrets Manager, and a safety snapshot allowed on the namespace', () => {
    const s = statements(synth().template);
    expect(s.RestoreFromTheSourceSnapshots.Action).toBe('redshift-serverless:RestoreFromSnapshot');
    expect(JSON.stringify(s.RestoreFromTheSourceSnapshots.Resource)).toContain(':snapshot/*');
    expect(s.ReadTheRestoredNamespaces.Action).toBe('redshift-serverless:GetNamespace');
    // The restore records: the target namespace's folder of parameters, never overwritten.
    const folder = ':parameter/cdk-redshift-serverless-snapshot/restore/staging';
    expect(s.ReadTheRestoreRecords.Action).toBe('ssm:GetParametersByPath');
    expect(JSON.stringify(s.ReadTheRestoreRecords.Resource)).toContain(`${folder}"`);
    expect(JSON.stringify(s.ReadTheRestoreRecords.Resource)).toContain(`${folder}/*"`);
    expect(s.WriteRestoreRecordsWithoutOverwriting.Action).toBe('ssm:PutParameter');
    expect(s.WriteRestoreRecordsWithoutOverwriting.Condition).toEqual({ BoolIfExists: { 'ssm:Overwrite': 'false' } });
    expect(JSON.stringify(s.WriteRestoreRecordsWithoutOverwriting.Resource)).toContain(`${folder}/*"`);
    expect(s.RemoveOldRestoreRecords.Action).toBe('ssm:DeleteParameters');
    expect(JSON.stringify(s.RemoveOldRestoreRecords.Resource)).not.toContain(`${folder}"`);
    expect(JSON.stringify(s.CreateSnapshotsOfTheStacksNamespaces.Resource)).toContain(':namespace/*');
    expect(Object.keys(s).some((sid) => /Password|Recovery|List/.test(sid))).toBe(false);
  });

  test("a shared snapshot: RestoreFromSnapshot on the owner's exact ARN only", () => {
    const s = statements(synth({ source: RestoreSource.snapshotArn(SHARED_ARN) }).template);
    expect(s.RestoreFromTheSourceSnapshots.Resource).toEqual([SHARED_ARN]);
  });

  test('recovery points: their own actions on their resource type, and the list on "*" for a search', () => {
    const exact = statements(synth({ source: RestoreSource.recoveryPoint(RECOVERY_POINT) }).template);
    expect(exact.RestoreFromTheSourceRecoveryPoints.Action).toEqual([
      'redshift-serverless:RestoreFromRecoveryPoint',
      'redshift-serverless:GetRecoveryPoint',
    ]);
    expect(JSON.stringify(exact.RestoreFromTheSourceRecoveryPoints.Resource)).toContain(`:recoverypoint/${RECOVERY_POINT}`);
    const search = statements(synth({ source: RestoreSource.recoveryPointBefore(new Date()) }).template);
    expect(search.ListRecoveryPointsToFindTheNewestSource).toMatchObject({
      Action: 'redshift-serverless:ListRecoveryPoints',
      Resource: ['*'],
    });
  });

  test('without a safety snapshot, no CreateSnapshot for the restore', () => {
    const s = statements(synth({ snapshotBeforeRestore: false }).template);
    expect(s.CreateSnapshotsOfTheStacksNamespaces.Resource).toEqual(expect.not.stringContaining(':namespace/'));
  });

  test('a managed admin password: Secrets Manager on Redshift secrets, KMS on the given key only', () => {
    const plain = statements(synth({ manageAdminPassword: true }).template);
    expect(JSON.stringify(plain.ManageTheRestoredAdminPasswords.Resource)).toContain(':secret:redshift!*');
    expect(plain.EncryptTheRestoredAdminPasswords).toBeUndefined();
    const withKey = (() => {
      const stack = new Stack(new App(), 'Staging');
      const key = new kms.Key(stack, 'Key');
      new RedshiftServerlessRestore(stack, 'Refresh', {
        namespaceName: 'staging',
        workgroupName: 'staging',
        source: RestoreSource.snapshotName('prod-copy'),
        manageAdminPassword: true,
        adminPasswordSecretKmsKey: key,
      });
      return Template.fromStack(stack);
    })();
    const s = statements(withKey);
    expect(s.EncryptTheRestoredAdminPasswords.Resource).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] }]);
    withKey.hasResourceProperties(TYPE, {
      ManageAdminPassword: true,
      AdminPasswordSecretKmsKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
  });
});

describe('bad input is refused at synth, naming the property', () => {
  test.each<[string, () => unknown, RegExp]>([
    [
      'a bad snapshot ARN',
      () => RestoreSource.snapshotArn('arn:aws:redshift:us-east-1:123456789012:snapshot:x'),
      /Invalid source.snapshotArn .*must be a snapshot ARN/,
    ],
    [
      'an owner account not of 12 digits',
      () => RestoreSource.snapshotArn(SHARED_ARN, '12345'),
      /Invalid source.ownerAccount "12345": must be a 12-digit AWS account id/,
    ],
    ['a bad snapshot name', () => RestoreSource.snapshotName('Prod_Copy'), /Invalid source.snapshotName "Prod_Copy"/],
    ['a bad recovery point id', () => RestoreSource.recoveryPoint('yesterday'), /Invalid source.recoveryPointId "yesterday"/],
    [
      'a bad name prefix',
      () => RestoreSource.latestSnapshot({ namespaceName: 'production', namePrefix: 'Nightly' }),
      /Invalid source.namePrefix "Nightly"/,
    ],
    ['an invalid date', () => RestoreSource.recoveryPointBefore(new Date('not a date')), /Invalid source.before/],
    ['a timeout over 59 minutes', () => synth({ timeout: Duration.minutes(60) }), /Invalid timeout .*from 60 to 3540/],
    ['a timeout under a minute', () => synth({ timeout: Duration.seconds(30) }), /Invalid timeout/],
    ['no workgroup', () => synth({ workgroupName: undefined }), /Missing workgroup: .*workgroupName/],
    ['a bad workgroup name', () => synth({ workgroupName: 'Staging WG' }), /Invalid workgroupName "Staging WG"/],
    [
      'both namespace forms',
      () => synth({ namespace: undefined, namespaceName: 'staging' }, () => undefined) && synthBoth(),
      /Invalid namespace and namespaceName/,
    ],
    [
      'a managed password for a recovery point',
      () => synth({ source: RestoreSource.recoveryPoint(RECOVERY_POINT), manageAdminPassword: true }),
      /Invalid manageAdminPassword .*needs a snapshot source/,
    ],
    [
      'a safety retention without a safety snapshot',
      () => synth({ snapshotBeforeRestore: false, safetySnapshotRetention: Duration.days(7) }),
      /Invalid safetySnapshotRetention .*needs snapshotBeforeRestore/,
    ],
    ['a safety retention of part of a day', () => synth({ safetySnapshotRetention: Duration.hours(36) }), /Invalid retention/],
    [
      'a refreshOn CloudFormation resolves',
      () => synth({ refreshOn: Token.asString({ Ref: 'Week' }) }),
      /Invalid refreshOn .*known at synth/,
    ],
    [
      'two restores of one namespace',
      () =>
        synth(
          {},
          (stack) =>
            new RedshiftServerlessRestore(stack, 'Again', {
              namespaceName: 'staging',
              workgroupName: 'staging',
              source: RestoreSource.snapshotName('x-y-z'),
            }),
        ),
      /Invalid namespaceName "staging": is the target of both Staging\/Refresh and Staging\/Again/,
    ],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('a workgroup of another namespace', () => {
    const stack = new Stack(new App(), 'Staging');
    const workgroup = new CfnWorkgroup(stack, 'Workgroup', { workgroupName: 'production', namespaceName: 'production' });
    expect(
      () =>
        new RedshiftServerlessRestore(stack, 'Refresh', {
          namespaceName: 'staging',
          workgroup,
          source: RestoreSource.snapshotName('prod-copy'),
        }),
    ).toThrow(/Invalid workgroup "Staging\/Workgroup": belongs to namespace "production", not to the target namespace "staging"/);
  });

  test('a key without a managed password', () => {
    const stack = new Stack(new App(), 'Staging');
    const key = new kms.Key(stack, 'Key');
    expect(
      () =>
        new RedshiftServerlessRestore(stack, 'Refresh', {
          namespaceName: 'staging',
          workgroupName: 'staging',
          source: RestoreSource.snapshotName('prod-copy'),
          adminPasswordSecretKmsKey: key,
        }),
    ).toThrow(/Invalid adminPasswordSecretKmsKey .*needs manageAdminPassword/);
  });
});

function synthBoth() {
  const stack = new Stack(new App(), 'Both');
  const namespace = new CfnNamespace(stack, 'Namespace', { namespaceName: 'staging' });
  return new RedshiftServerlessRestore(stack, 'Refresh', {
    namespace,
    namespaceName: 'staging',
    workgroupName: 'staging',
    source: RestoreSource.snapshotName('prod-copy'),
  });
}
