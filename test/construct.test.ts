import { App, Duration, Fn, NestedStack, RemovalPolicies, RemovalPolicy, Stack, Stage, Tags, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import { RedshiftServerlessSnapshot, RedshiftServerlessSnapshotProps } from '../lib';

const RESOURCE_TYPE = 'Custom::RedshiftServerlessSnapshot';

function newStack(id = 'TestStack'): { app: App; stack: Stack } {
  const app = new App();
  return { app, stack: new Stack(app, id) };
}

function namespaceIn(stack: Stack, id = 'Namespace'): { namespace: CfnNamespace; workgroup: CfnWorkgroup } {
  const namespace = new CfnNamespace(stack, id, { namespaceName: `${id.toLowerCase()}-ns` });
  const workgroup = new CfnWorkgroup(stack, `${id}Workgroup`, {
    workgroupName: `${id.toLowerCase()}-wg`,
    namespaceName: namespace.namespaceName,
  });
  return { namespace, workgroup };
}

function snapshotProperties(stack: Stack): Record<string, Record<string, unknown>> {
  const resources = Template.fromStack(stack).findResources(RESOURCE_TYPE);
  return Object.fromEntries(
    Object.entries(resources).map(([id, resource]) => [id, (resource as { Properties: Record<string, unknown> }).Properties]),
  );
}

function onlySnapshot(stack: Stack): Record<string, unknown> {
  const all = Object.values(snapshotProperties(stack));
  expect(all).toHaveLength(1);
  return all[0];
}

describe('the resource it declares', () => {
  test('a snapshot of a namespace construct, with every property rendered', () => {
    const { stack } = newStack();
    const { namespace, workgroup } = namespaceIn(stack);
    new RedshiftServerlessSnapshot(stack, 'Snapshot', {
      namespace,
      workgroup,
      snapshotName: 'nightly-1',
      retention: Duration.days(7),
      tags: { purpose: 'test' },
      removalPolicy: RemovalPolicy.DESTROY,
      timeout: Duration.minutes(20),
    });

    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, {
      ServiceToken: Match.anyValue(),
      SnapshotName: 'nightly-1',
      NamespaceName: { Ref: 'Namespace' },
      RetentionPeriod: 7,
      Tags: [{ Key: 'purpose', Value: 'test' }],
      RemovalPolicy: 'destroy',
      TimeoutSeconds: 1200,
    });
  });

  test('defaults: generated name, indefinite retention, RETAIN, 59 minutes, no tags', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });

    const properties = onlySnapshot(stack);
    expect(properties).toMatchObject({
      NamespaceName: 'elsewhere',
      RetentionPeriod: -1,
      RemovalPolicy: 'retain',
      TimeoutSeconds: 3540,
    });
    expect(properties.Tags).toBeUndefined();
    expect(properties.SnapshotName).toMatch(/^teststack-snapshot-[0-9a-f]{8}$/);
  });

  test('RETAIN renders DeletionPolicy and UpdateReplacePolicy Retain, so CloudFormation sends no Delete at all', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere', removalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('DESTROY renders Delete for both, and the handler deletes the snapshot', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere', removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({ RemovalPolicy: 'destroy' }),
    });
  });

  test.each([
    [[RemovalPolicy.DESTROY], 'destroy', 'Delete'],
    [[RemovalPolicy.DESTROY, RemovalPolicy.RETAIN], 'retain', 'Retain'],
  ])('applyRemovalPolicy %p after construction reaches the handler and the template policies', (policies, handler, template) => {
    const { stack } = newStack();
    const snapshot = new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    policies.forEach((policy) => snapshot.applyRemovalPolicy(policy));
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, {
      DeletionPolicy: template,
      UpdateReplacePolicy: template,
      Properties: Match.objectLike({ RemovalPolicy: handler }),
    });
  });

  test.each([
    ['destroy', (scope: Stack) => RemovalPolicies.of(scope).destroy(), 'Delete', 'destroy'],
    ['retain', (scope: Stack) => RemovalPolicies.of(scope).retain(), 'Retain', 'retain'],
  ])('RemovalPolicies.of(scope).%s() reaches the snapshot: the template and the handler agree', (_, apply, template, handler) => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', {
      namespaceName: 'elsewhere',
      removalPolicy: template === 'Delete' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    apply(stack);
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, {
      DeletionPolicy: template,
      UpdateReplacePolicy: template,
      Properties: Match.objectLike({ RemovalPolicy: handler }),
    });
  });

  test('RemovalPolicies.of(scope).snapshot() is refused at synth, naming the rule', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    RemovalPolicies.of(stack).snapshot();
    expect(() => Template.fromStack(stack)).toThrow(/Invalid removalPolicy "SNAPSHOT": must be RETAIN or DESTROY/);
  });

  test('RETAIN_ON_UPDATE_OR_DELETE keeps the snapshot like RETAIN', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', {
      namespaceName: 'elsewhere',
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    expect(onlySnapshot(stack).RemovalPolicy).toBe('retain');
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test("CloudFormation's own wait is set explicitly to its one hour, and the handler's ends a minute before it", () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { ServiceTimeout: '3600', TimeoutSeconds: 3540 });
    // The provider's own limit is at least the resource's, so the handler's deadline comes first.
    const [waiter] = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
    expect(JSON.stringify(waiter)).toContain('\\"MaxAttempts\\":360');
  });

  test('depends on the namespace and the workgroup', () => {
    const { stack } = newStack();
    const { namespace, workgroup } = namespaceIn(stack);
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespace, workgroup });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, {
      DependsOn: Match.arrayWith(['Namespace', 'NamespaceWorkgroup']),
    });
  });

  test('a namespace given by name still waits for the workgroup', () => {
    const { stack } = newStack();
    const { workgroup } = namespaceIn(stack);
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'namespace-ns', workgroup });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, { DependsOn: ['NamespaceWorkgroup'] });
  });

  test('attributes read the handler Data, and Ref is the snapshot name', () => {
    const { stack } = newStack();
    const snapshot = new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const resolve = (value: string) => stack.resolve(value) as unknown;
    const logicalId = Object.keys(snapshotProperties(stack))[0];

    expect(resolve(snapshot.snapshotName)).toEqual({ Ref: logicalId });
    expect(resolve(snapshot.snapshotRef.snapshotName)).toEqual({ Ref: logicalId });
    for (const [value, attribute] of [
      [snapshot.snapshotArn, 'SnapshotArn'],
      [snapshot.namespaceName, 'NamespaceName'],
      [snapshot.namespaceArn, 'NamespaceArn'],
      [snapshot.snapshotCreateTime, 'SnapshotCreateTime'],
      [snapshot.ownerAccount, 'OwnerAccount'],
      [snapshot.kmsKeyId, 'KmsKeyId'],
      [snapshot.totalBackupSizeInMegaBytes, 'TotalBackupSizeInMegaBytes'],
      [snapshot.accountsWithRestoreAccess, 'AccountsWithRestoreAccess'],
      [snapshot.status, 'Status'],
      [snapshot.retentionPeriod, 'RetentionPeriod'],
    ]) {
      expect(resolve(value)).toEqual({ 'Fn::GetAtt': [logicalId, attribute] });
    }
  });

  test('fromSnapshotName refers to a snapshot made elsewhere', () => {
    const { stack } = newStack();
    const imported = RedshiftServerlessSnapshot.fromSnapshotName(stack, 'Imported', 'made-by-hand');
    expect(imported.snapshotName).toBe('made-by-hand');
    expect(imported.snapshotRef.snapshotName).toBe('made-by-hand');
    expect(Template.fromStack(stack).findResources(RESOURCE_TYPE)).toEqual({});
  });

  test('fromSnapshotAttributes checks the namespace name too', () => {
    const { stack } = newStack();
    expect(() =>
      RedshiftServerlessSnapshot.fromSnapshotAttributes(stack, 'Imported', { snapshotName: 'made-by-hand', namespaceName: 'Bad_NS' }),
    ).toThrow(/Invalid namespaceName "Bad_NS"/);
  });

  test('fromSnapshotAttributes checks the name', () => {
    const { stack } = newStack();
    expect(() => RedshiftServerlessSnapshot.fromSnapshotAttributes(stack, 'Imported', { snapshotName: 'Bad_Name' })).toThrow(
      /Invalid snapshotName "Bad_Name": may contain only lowercase letters, digits and hyphens/,
    );
  });
});

describe('generated names', () => {
  function generatedName(stackId: string, constructId: string, props: Partial<RedshiftServerlessSnapshotProps> = {}): string {
    const { stack } = newStack(stackId);
    new RedshiftServerlessSnapshot(stack, constructId, { namespaceName: 'elsewhere', ...props });
    return onlySnapshot(stack).SnapshotName as string;
  }

  test('are stable across synths', () => {
    expect(generatedName('Stack', 'Snap')).toBe(generatedName('Stack', 'Snap'));
  });

  test('differ by stack, by construct path and by namespace', () => {
    const base = generatedName('Stack', 'Snap');
    expect(generatedName('OtherStack', 'Snap')).not.toBe(base);
    expect(generatedName('Stack', 'Other')).not.toBe(base);
    expect(generatedName('Stack', 'Snap', { namespaceName: 'another' })).not.toBe(base);
  });

  test('a namespace given as a construct is known by its name: renaming it takes a new snapshot', () => {
    const named = (namespaceName: string, id = 'Namespace') => {
      const { stack } = newStack();
      const namespace = new CfnNamespace(stack, id, { namespaceName });
      new RedshiftServerlessSnapshot(stack, 'Snap', { namespace });
      return onlySnapshot(stack).SnapshotName as string;
    };
    expect(named('analytics')).not.toBe(named('analytics-v2'));
    // The construct id of the namespace no longer matters once its name is known.
    expect(named('analytics', 'Renamed')).toBe(named('analytics'));
  });

  test('two stages with the same nested stack get different names, each stable across synths', () => {
    const nestedName = (stageId: string) => {
      const app = new App();
      const stage = new Stage(app, stageId);
      const parent = new Stack(stage, 'App');
      const nested = new NestedStack(parent, 'Data');
      new RedshiftServerlessSnapshot(nested, 'Snap', { namespaceName: 'analytics' });
      return onlySnapshot(nested).SnapshotName as string;
    };
    expect(nestedName('Dev')).not.toBe(nestedName('Prod'));
    expect(nestedName('Dev')).toBe(nestedName('Dev'));
    expect(nestedName('Dev')).toMatch(/^dev-app-data-snap-[0-9a-f]{8}$/);
  });

  test('follow the service rule even for long and odd paths', () => {
    const name = generatedName('A'.repeat(120), 'Snap_With.Odd--Chars'.repeat(5));
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^[a-z0-9-]{3,64}$/);
  });
});

describe('explicit names used twice', () => {
  test('in one stack are refused at synth, naming both construct paths', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'First', { namespaceName: 'analytics', snapshotName: 'nightly' });
    expect(() => new RedshiftServerlessSnapshot(stack, 'Second', { namespaceName: 'other', snapshotName: 'nightly' })).toThrow(
      'Invalid snapshotName "nightly": is used by both TestStack/First and TestStack/Second in the same stack TestStack; snapshot names are unique in an account and region',
    );
  });

  test('in two stacks of one account and region are refused too; in other regions they are fine', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'us-east-1' };
    new RedshiftServerlessSnapshot(new Stack(app, 'A', { env }), 'Snap', { namespaceName: 'analytics', snapshotName: 'nightly' });
    const elsewhere = new Stack(app, 'B', { env: { ...env, region: 'eu-west-1' } });
    expect(() => new RedshiftServerlessSnapshot(elsewhere, 'Snap', { namespaceName: 'analytics', snapshotName: 'nightly' })).not.toThrow();
    const same = new Stack(app, 'C', { env });
    expect(() => new RedshiftServerlessSnapshot(same, 'Snap', { namespaceName: 'analytics', snapshotName: 'nightly' })).toThrow(
      'is used by both A/Snap and C/Snap in the same account 111111111111 and region us-east-1',
    );
  });

  test('in two stacks of one account whose region is known only at deploy are fine: they may deploy to different regions', () => {
    const app = new App();
    const env = { account: '111111111111' };
    new RedshiftServerlessSnapshot(new Stack(app, 'A', { env }), 'Snap', { namespaceName: 'analytics', snapshotName: 'nightly' });
    const other = new Stack(app, 'B', { env });
    expect(() => new RedshiftServerlessSnapshot(other, 'Snap', { namespaceName: 'analytics', snapshotName: 'nightly' })).not.toThrow();
  });

  test('names that are tokens are left to deploy time, even the same token twice', () => {
    const { stack } = newStack();
    const shared = Fn.importValue('SharedSnapshotName');
    new RedshiftServerlessSnapshot(stack, 'First', { namespaceName: 'analytics', snapshotName: shared });
    expect(() => new RedshiftServerlessSnapshot(stack, 'Second', { namespaceName: 'analytics', snapshotName: shared })).not.toThrow();
  });
});

describe('one provider per stack', () => {
  function lambdaCount(stack: Stack): number {
    return Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Function')).length;
  }

  test('several snapshots share one provider and one pair of handler functions', () => {
    const { stack: single } = newStack('Single');
    new RedshiftServerlessSnapshot(single, 'One', { namespaceName: 'elsewhere' });

    const { stack } = newStack('Many');
    for (let i = 0; i < 5; i++) {
      new RedshiftServerlessSnapshot(stack, `Snapshot${i}`, { namespaceName: 'elsewhere' });
    }
    const template = Template.fromStack(stack);
    const tokens = new Set(Object.values(snapshotProperties(stack)).map((p) => JSON.stringify(p.ServiceToken)));
    expect(tokens.size).toBe(1);
    expect(lambdaCount(stack)).toBe(lambdaCount(single));
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.onEvent' }, 1);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.isComplete' }, 1);
  });

  test('two stacks get one provider each', () => {
    const app = new App();
    const first = new Stack(app, 'First');
    const second = new Stack(app, 'Second');
    new RedshiftServerlessSnapshot(first, 'A', { namespaceName: 'elsewhere' });
    new RedshiftServerlessSnapshot(first, 'B', { namespaceName: 'elsewhere' });
    new RedshiftServerlessSnapshot(second, 'C', { namespaceName: 'elsewhere' });
    for (const stack of [first, second]) {
      Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.onEvent' }, 1);
    }
  });

  test("the provider's log group is the users' to configure: the one every function writes to", () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const logGroup = RedshiftServerlessSnapshot.providerLogGroup(stack);
    (logGroup.node.defaultChild as CfnLogGroup).retentionInDays = 365;
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { LoggingConfig?: { LogGroup?: unknown } };
    }[];
    const logGroupId = stack.getLogicalId(logGroup.node.defaultChild as CfnLogGroup);
    for (const fn of functions) expect(fn.Properties.LoggingConfig?.LogGroup).toEqual({ Ref: logGroupId });
  });

  test('handlers run on the latest Node.js runtime, from the bundled asset, with a log group that expires', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const template = Template.fromStack(stack);
    template.allResourcesProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Runtime: 'nodejs24.x', Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') } },
      2,
    );
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toHaveLength(1);
  });
});

describe('the handler role', () => {
  type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

  function handlerStatements(stack: Stack): Statement[] {
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('HandlerRole') }] },
    });
    return Object.values(policies).flatMap(
      (policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
    );
  }

  const actionsOf = (statement: Statement) => [statement.Action].flat();

  test('allows exactly the calls the handler makes, and no wildcard action', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const actions = handlerStatements(stack).flatMap(actionsOf).sort();
    expect(actions).toEqual(
      [
        'cloudformation:DescribeStacks',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'redshift-serverless:CreateSnapshot',
        'redshift-serverless:DeleteResourcePolicy',
        'redshift-serverless:DeleteSnapshot',
        'redshift-serverless:GetResourcePolicy',
        'redshift-serverless:GetSnapshot',
        'redshift-serverless:ListTagsForResource',
        'redshift-serverless:PutResourcePolicy',
        'redshift-serverless:TagResource',
        'redshift-serverless:UntagResource',
        'redshift-serverless:UpdateSnapshot',
      ].sort(),
    );
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  test('snapshot calls are scoped to the snapshots of the stack account and region', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const manage = handlerStatements(stack).find((s) => actionsOf(s).includes('redshift-serverless:DeleteSnapshot'));
    expect(JSON.stringify(manage?.Resource)).toContain(':snapshot/*');
    expect(JSON.stringify(manage?.Resource)).toContain('AWS::AccountId');
    expect(JSON.stringify(manage?.Resource)).toContain('AWS::Region');
  });

  test("the stack's status is read on this stack alone, to tell a rollback from an update", () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const describe = handlerStatements(stack).filter((s) => actionsOf(s).includes('cloudformation:DescribeStacks'));
    expect(describe).toEqual([expect.objectContaining({ Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } })]);
  });

  test('no role of the provider carries an AWS managed policy; each logs to the provider log group only', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const template = Template.fromStack(stack);
    const roles = Object.values(template.findResources('AWS::IAM::Role')) as { Properties: Record<string, unknown> }[];
    expect(roles.length).toBeGreaterThanOrEqual(3);
    expect(roles.filter((role) => role.Properties.ManagedPolicyArns !== undefined)).toEqual([]);
    const logStatements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement)
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('logs:')));
    expect(logStatements.length).toBeGreaterThanOrEqual(3);
    for (const statement of logStatements) {
      expect(statement.Resource).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^RedshiftServerlessSnapshotProviderLogs/) as unknown, 'Arn'],
      });
    }
  });

  test('CreateSnapshot names the exact namespace when it is a construct', () => {
    const { stack } = newStack();
    const { namespace } = namespaceIn(stack);
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespace });
    const create = handlerStatements(stack).find((s) => actionsOf(s).includes('redshift-serverless:CreateSnapshot'));
    const resources = JSON.stringify(create?.Resource);
    expect(resources).toContain('"Fn::GetAtt":["Namespace","Namespace.NamespaceArn"]');
    expect(resources).not.toContain(':namespace/*');
  });

  test('CreateSnapshot falls back to every namespace of the account and region for a name', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const create = handlerStatements(stack).find((s) => actionsOf(s).includes('redshift-serverless:CreateSnapshot'));
    expect(JSON.stringify(create?.Resource)).toContain(':namespace/*');
  });
});

describe('tags', () => {
  test('Tags.of and the tags prop both reach the snapshot', () => {
    const { stack } = newStack();
    const snapshot = new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere', tags: { a: '1' } });
    Tags.of(snapshot).add('b', '2');
    Tags.of(stack).add('stack-wide', 'yes');
    expect(onlySnapshot(stack).Tags).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
      { Key: 'stack-wide', Value: 'yes' },
    ]);
  });
});

describe('synth-time validation', () => {
  function synthWith(props: Partial<RedshiftServerlessSnapshotProps>, customize?: (s: RedshiftServerlessSnapshot) => void) {
    const { app, stack } = newStack();
    const snapshot = new RedshiftServerlessSnapshot(stack, 'Snapshot', props);
    customize?.(snapshot);
    app.synth();
  }
  const namespaceName = 'elsewhere';

  test.each([
    ['too short', 'ab', /Invalid snapshotName "ab": must be 3-64 characters long \(it has 2\)/],
    ['too long', 'a'.repeat(65), /Invalid snapshotName "a{65}": must be 3-64 characters long \(it has 65\)/],
    ['uppercase', 'Nightly', /Invalid snapshotName "Nightly": may contain only lowercase letters, digits and hyphens/],
    ['underscore', 'night_ly', /Invalid snapshotName "night_ly": may contain only lowercase letters/],
  ])('snapshotName %s', (_case, snapshotName, message) => {
    expect(() => synthWith({ namespaceName, snapshotName })).toThrow(message);
  });

  test('namespaceName must follow the same rule', () => {
    expect(() => synthWith({ namespaceName: 'My_Namespace' })).toThrow(
      /Invalid namespaceName "My_Namespace": may contain only lowercase letters/,
    );
  });

  test('namespace missing', () => {
    expect(() => synthWith({})).toThrow(
      /Missing namespace: give the namespace to snapshot, as a construct \(namespace\) or by name \(namespaceName\)/,
    );
  });

  test('namespace given twice', () => {
    const { stack } = newStack();
    const { namespace } = namespaceIn(stack);
    expect(() => new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespace, namespaceName })).toThrow(
      /Invalid namespace and namespaceName "elsewhere": .* not both/,
    );
  });

  test.each([
    ['zero days', Duration.days(0), /Invalid retention "Duration.days\(0\)": must be a whole number of days from 1 to 3653/],
    ['too long', Duration.days(3654), /Invalid retention "Duration.days\(3654\)": must be a whole number of days from 1 to 3653/],
    ['not whole days', Duration.hours(36), /Invalid retention "Duration.hours\(36\)": must be a whole number of days/],
  ])('retention %s', (_case, retention, message) => {
    expect(() => synthWith({ namespaceName, retention })).toThrow(message);
  });

  test('retention bounds are accepted', () => {
    expect(() => synthWith({ namespaceName, retention: Duration.days(1) })).not.toThrow();
    expect(() => synthWith({ namespaceName, retention: Duration.days(3653) })).not.toThrow();
    expect(() => synthWith({ namespaceName, retention: Duration.hours(48) })).not.toThrow();
  });

  test('removal policy SNAPSHOT is refused', () => {
    expect(() => synthWith({ namespaceName, removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(
      /Invalid removalPolicy "snapshot": must be RETAIN or DESTROY: SNAPSHOT makes no sense/,
    );
  });

  test.each([
    [
      'past 59 minutes',
      Duration.minutes(60),
      /Invalid timeout "Duration.minutes\(60\)": must be a whole number of seconds from 60 to 3540 \(59 minutes\): CloudFormation waits at most one hour/,
    ],
    ['under a minute', Duration.seconds(30), /Invalid timeout "Duration.seconds\(30\)"/],
  ])('timeout %s', (_case, timeout, message) => {
    expect(() => synthWith({ namespaceName, timeout })).toThrow(message);
  });

  test('timeout bounds are accepted: exactly a minute, exactly 59 minutes', () => {
    expect(() => synthWith({ namespaceName, timeout: Duration.seconds(60) })).not.toThrow();
    expect(() => synthWith({ namespaceName, timeout: Duration.seconds(3540) })).not.toThrow();
    expect(() => synthWith({ namespaceName, timeout: Duration.seconds(59) })).toThrow(/Invalid timeout "Duration.seconds\(59\)"/);
    expect(() => synthWith({ namespaceName, timeout: Duration.seconds(3541) })).toThrow(/Invalid timeout "Duration.seconds\(3541\)"/);
    expect(() => synthWith({ namespaceName, timeout: Duration.millis(60_500) })).toThrow(/Invalid timeout "Duration.millis\(60500\)"/);
  });

  test("more than 198 tags: the handler's own two count toward the service's 200", () => {
    const tags = Object.fromEntries(Array.from({ length: 199 }, (_, i) => [`k${i}`, 'v']));
    expect(() => synthWith({ namespaceName, tags })).toThrow(
      /Invalid tags "199 tags": a snapshot can have at most 200 tags, and the handler adds 2 of its own .* so at most 198 may be given/,
    );
  });

  test('198 tags are fine', () => {
    const tags = Object.fromEntries(Array.from({ length: 198 }, (_, i) => [`k${i}`, 'v']));
    expect(() => synthWith({ namespaceName, tags })).not.toThrow();
  });

  test('tag key length, tag value length, aws: prefix and the owner key, also through Tags.of', () => {
    const key129 = 'k'.repeat(129);
    expect(() => synthWith({ namespaceName, tags: { [key129]: 'v' } })).toThrow(/a tag key must be 1-128 characters long \(it has 129\)/);
    expect(() => synthWith({ namespaceName, tags: { k: 'v'.repeat(257) } })).toThrow(
      /the value of tag "k" must be at most 256 characters long \(it has 257\)/,
    );
    expect(() => synthWith({ namespaceName }, (s) => Tags.of(s).add('aws:owner', 'x'))).toThrow(
      /Invalid tags "aws:owner": tag keys starting with "aws:" are reserved for AWS/,
    );
    expect(() => synthWith({ namespaceName, tags: { 'cdk-redshift-serverless-snapshot:owner': 'me' } })).toThrow(
      /tag keys starting with "cdk-redshift-serverless-snapshot:" are reserved/,
    );
    expect(() => synthWith({ namespaceName }, (s) => Tags.of(s).add('cdk-redshift-serverless-snapshot:created-by-request', 'x'))).toThrow(
      /are reserved: the handler uses them to recognise the snapshots it created/,
    );
  });

  test('a timeout that is a token is refused: it sizes the wait, so it must be known at synth', () => {
    const timeout = Duration.seconds(Token.asNumber({ Ref: 'Seconds' }));
    expect(() => synthWith({ namespaceName, timeout })).toThrow(
      new Error(`Invalid timeout "${timeout.toString()}": must be known at synth time, since it sizes the wait`),
    );
  });

  test('a tag whose key or value is a token is left to the handler, however long its placeholder text is at synth', () => {
    // A display hint makes a token's placeholder text as long as it says.
    const longToken = (hint: string) => Token.asString({ Ref: 'Value' }, { displayHint: hint });
    expect(longToken('x'.repeat(300)).length).toBeGreaterThan(256);
    expect(() => synthWith({ namespaceName, tags: { team: longToken('x'.repeat(300)) } })).not.toThrow();
    expect(() => synthWith({ namespaceName, tags: { [longToken('k'.repeat(200))]: 'v' } })).not.toThrow();
  });

  test('tokens pass synth and are left to the handler', () => {
    const token = Token.asString({ Ref: 'SomeParameter' });
    expect(() =>
      synthWith({
        namespaceName: token,
        snapshotName: token,
        retention: Duration.days(Token.asNumber({ Ref: 'Days' })),
        tags: { [token]: token },
      }),
    ).not.toThrow();
  });
});

describe('sharing for restore, retake on change, no-wait mode', () => {
  const namespaceName = 'elsewhere';

  test('restoreAccounts are rendered sorted and without duplicates', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName, restoreAccounts: ['222222222222', '111111111111', '222222222222'] });
    expect(onlySnapshot(stack).RestoreAccounts).toEqual(['111111111111', '222222222222']);
  });

  test('no restoreAccounts, no RestoreAccounts property', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName, restoreAccounts: [] });
    expect(onlySnapshot(stack).RestoreAccounts).toBeUndefined();
  });

  test('an account id that is not 12 digits fails synth', () => {
    const { stack } = newStack();
    expect(() => new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName, restoreAccounts: ['1234'] })).toThrow(
      'Invalid restoreAccounts "1234": must be a 12-digit AWS account id',
    );
  });

  test("the stack's own account is refused when it is known, and left to the handler when it is not", () => {
    const known = new Stack(new App(), 'Known', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(
      () => new RedshiftServerlessSnapshot(known, 'Snapshot', { namespaceName, restoreAccounts: ['222222222222', '111111111111'] }),
    ).toThrow(
      'Invalid restoreAccounts "111111111111": is the stack\'s own account, which may restore from its own snapshots without a share; list only other accounts',
    );
    const { stack } = newStack();
    expect(() => new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName, restoreAccounts: ['111111111111'] })).not.toThrow();
  });

  test('restoreAccounts with waitForAvailable false fails synth', () => {
    const { stack } = newStack();
    expect(
      () =>
        new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName, restoreAccounts: ['111111111111'], waitForAvailable: false }),
    ).toThrow(/Invalid restoreAccounts "111111111111": needs waitForAvailable/);
    expect(
      () =>
        new RedshiftServerlessSnapshot(stack, 'Two', {
          namespaceName,
          restoreAccounts: ['111111111111', '222222222222'],
          waitForAvailable: false,
        }),
    ).toThrow('Invalid restoreAccounts "111111111111,222222222222": needs waitForAvailable');
  });

  test('an account that is a token is left to the handler', () => {
    const { stack } = newStack();
    const account = Token.asString({ Ref: 'PartnerAccount' });
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName, restoreAccounts: ['111111111111', account] });
    expect(onlySnapshot(stack).RestoreAccounts).toEqual(expect.arrayContaining(['111111111111', { Ref: 'PartnerAccount' }]));
  });

  test('waitForAvailable is passed to the handler', () => {
    const { stack } = newStack();
    new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName, waitForAvailable: false });
    expect(onlySnapshot(stack).WaitForAvailable).toBe(false);
  });

  test('each retakeOn value names a new snapshot; the same value the same one', () => {
    const nameWith = (retakeOn?: string) => {
      const { stack } = newStack();
      new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName, retakeOn });
      return onlySnapshot(stack).SnapshotName as string;
    };
    expect(nameWith('v1')).toBe(nameWith('v1'));
    expect(new Set([nameWith(), nameWith('v1'), nameWith('v2')]).size).toBe(3);
    expect(nameWith('v2')).toMatch(/^teststack-snapshot-[0-9a-f]{8}$/);
  });

  test('retakeOn with a fixed snapshotName, or as a token, fails synth', () => {
    const { stack } = newStack();
    expect(() => new RedshiftServerlessSnapshot(stack, 'A', { namespaceName, retakeOn: 'v1', snapshotName: 'fixed' })).toThrow(
      'Invalid retakeOn "v1": needs a generated name, but snapshotName is "fixed"',
    );
    expect(() => new RedshiftServerlessSnapshot(stack, 'B', { namespaceName, retakeOn: Token.asString({ Ref: 'Version' }) })).toThrow(
      /Invalid retakeOn ".*": must be known at synth time/,
    );
  });
});

describe('grants', () => {
  type Statement = { Action: string | string[]; Resource: unknown };

  function grantStatements(stack: Stack, roleId: string): Statement[] {
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp(roleId) }] },
    });
    return Object.values(policies).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
    );
  }

  test('grantRestore: RestoreFromSnapshot and GetSnapshot on this snapshot ARN only', () => {
    const { stack } = newStack();
    const snapshot = new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const role = new iam.Role(stack, 'Restorer', { assumedBy: new iam.AccountRootPrincipal() });
    expect(snapshot.grantRestore(role).success).toBe(true);
    expect(grantStatements(stack, 'Restorer')).toEqual([
      {
        Action: ['redshift-serverless:RestoreFromSnapshot', 'redshift-serverless:GetSnapshot'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [Object.keys(snapshotProperties(stack))[0], 'SnapshotArn'] },
      },
    ]);
  });

  test('grantRead: GetSnapshot on the ARN, ListSnapshots (which names no snapshot)', () => {
    const { stack } = newStack();
    const snapshot = new RedshiftServerlessSnapshot(stack, 'Snapshot', { namespaceName: 'elsewhere' });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    snapshot.grantRead(role);
    const statements = grantStatements(stack, 'Reader');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'redshift-serverless:GetSnapshot',
        Resource: { 'Fn::GetAtt': [expect.any(String), 'SnapshotArn'] },
      }),
    );
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'redshift-serverless:ListSnapshots', Resource: '*' }));
  });

  test('an imported snapshot grants on the ARN it was given, and says what it needs without one', () => {
    const { stack } = newStack();
    const arn = 'arn:aws:redshift-serverless:us-east-1:123456789012:snapshot/6f0b8a52-1c4d-4e8a-9d7e-2b1a3c4d5e6f';
    const imported = RedshiftServerlessSnapshot.fromSnapshotAttributes(stack, 'Imported', {
      snapshotName: 'made-by-hand',
      snapshotArn: arn,
    });
    const role = new iam.Role(stack, 'Restorer', { assumedBy: new iam.AccountRootPrincipal() });
    imported.grantRestore(role);
    expect(grantStatements(stack, 'Restorer')[0].Resource).toBe(arn);

    const byName = RedshiftServerlessSnapshot.fromSnapshotName(stack, 'ByName', 'made-by-hand');
    expect(() => byName.grantRestore(role)).toThrow(
      /grantRestore needs the ARN of snapshot "made-by-hand" .*\.fromSnapshotAttributes\(\{ snapshotName, snapshotArn \}\)/,
    );
  });
});
