/*
 * cdk-nag's AwsSolutions checks over the example stack: no unsuppressed error or warning, and
 * the rules suppressed in nag-suppressions.ts are exactly the rules the stack trips without them.
 */
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import { ExampleStack } from './example-stack';
import { suppressRestoreDrillFindings, suppressScheduleRoleFindings, suppressSnapshotProviderFindings } from './nag-suppressions';

function checkedStack(suppress: boolean) {
  const app = new App();
  const stack = new ExampleStack(app, 'NagExample');
  if (suppress) {
    suppressSnapshotProviderFindings(stack);
    suppressScheduleRoleFindings(stack, 'Nightly');
    suppressRestoreDrillFindings(stack, 'WeeklyDrill');
    NagSuppressions.addResourceSuppressionsByPath(stack, '/NagExample/DrillVpc/Resource', [
      {
        id: 'AwsSolutions-VPC7',
        reason: "The example's own VPC holds only the drill's scratch workgroups, which the Data API reaches without the network.",
      },
    ]);
  }
  Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }));
  app.synth();
  const annotations = Annotations.fromStack(stack);
  const render = (found: ReturnType<typeof annotations.findError>) =>
    found.map((f) => `${f.id}: ${(typeof f.entry.data === 'string' ? f.entry.data : JSON.stringify(f.entry.data)).split(':')[0]}`);
  return {
    errors: render(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-'))),
    warnings: render(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-'))),
  };
}

test('the example stack passes AwsSolutions with zero unsuppressed errors and warnings', () => {
  expect(checkedStack(true)).toEqual({ errors: [], warnings: [] });
});

test('the suppressed rules are exactly the rules the stack trips, and none is for a wildcard action', () => {
  const unsuppressed = checkedStack(false);
  const rules = new Set(unsuppressed.errors.map((e) => e.split(': ')[1].replace(/\[.*$/, '')));
  expect([...rules].sort()).toEqual(['AwsSolutions-IAM5', 'AwsSolutions-L1', 'AwsSolutions-SF1', 'AwsSolutions-SF2', 'AwsSolutions-VPC7']);
  expect(unsuppressed.errors.filter((e) => /Action::/.test(e))).toEqual([]);
  expect(unsuppressed.warnings).toEqual([]);
});
