/*
 * A restore target that a CloudFormation stack of AWS::RedshiftServerless::Namespace owns, whose
 * updates either leave others' tags on the namespace alone or remove them (not published:
 * verify/facts.ts, cfn-namespace-foreign-tags), on the shipped bundle against the local endpoint.
 * The restore's records are Systems Manager parameters, not namespace tags, so under either
 * answer the same request delivered again after a stack update restores nothing more.
 */
import { RestoreSource } from '../../lib';
import { restoreProperties } from './construct-properties';
import { endpoint, restoreDriver, useScenarioEnvironment } from './scenario-support';

const stackTemplate = (tagValue: string) =>
  JSON.stringify({
    Resources: {
      Staging: {
        Type: 'AWS::RedshiftServerless::Namespace',
        Properties: { NamespaceName: 'staging', Tags: [{ Key: 'team', Value: tagValue }] },
      },
    },
  });

describe.each(['left-alone', 'removed'] as const)('a namespace stack whose update leaves foreign tags %s', (cfnNamespaceForeignTags) => {
  useScenarioEnvironment({ restoreMs: 300, cfnNamespaceForeignTags });

  test('the restore runs once: redelivered after the stack updated the namespace, it restores nothing more', async () => {
    const stacks = endpoint.namespaceStacks;
    stacks.answer('CreateStack', new URLSearchParams({ StackName: 'data', TemplateBody: stackTemplate('data') }));
    endpoint.model.createWorkgroup({ workgroupName: 'staging', namespaceName: 'staging' });
    endpoint.model.addNamespace('production');
    endpoint.model.addSnapshot({ name: 'prod-copy', namespaceName: 'production', retentionPeriod: -1, tags: {} });
    const resourceArn = endpoint.model.getNamespace({ namespaceName: 'staging' }).namespace.namespaceArn;
    endpoint.model.tagResource({ resourceArn, tags: [{ key: 'owner', value: 'someone-else' }] });
    const driver = restoreDriver('RefreshStaging1A2B3C4D');
    const restore = restoreProperties({
      namespaceName: 'staging',
      workgroupName: 'staging',
      source: RestoreSource.snapshotName('prod-copy'),
    });

    expect((await driver.create(restore, 'request-1')).status).toBe('SUCCESS');
    stacks.answer('UpdateStack', new URLSearchParams({ StackName: 'data', TemplateBody: stackTemplate('data-platform') }));
    const tags = endpoint.model.listTagsForResource({ resourceArn }).tags.map((t) => t.key);
    expect(tags.includes('owner')).toBe(cfnNamespaceForeignTags === 'left-alone');

    expect((await driver.create(restore, 'request-1')).status).toBe('SUCCESS');
    expect((await driver.update('staging', restore, restore)).status).toBe('SUCCESS');
    expect(endpoint.model.restoresOf('staging')).toHaveLength(1);
  });
});
