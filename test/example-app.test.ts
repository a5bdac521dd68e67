/*
 * The example app's whole template, kept as a jest snapshot so that CI catches any unintended
 * change to what the construct synthesizes. Asset hashes change whenever the handler bundle
 * changes by a byte, so they are normalized; everything else must match exactly.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExampleStack } from './example-stack';

function normalizedTemplate(): unknown {
  const app = new App();
  const stack = new ExampleStack(app, 'RedshiftServerlessSnapshotExample');
  const json = JSON.stringify(Template.fromStack(stack).toJSON());
  return JSON.parse(json.replace(/[0-9a-f]{64}/g, '<asset-hash>')) as unknown;
}

test('the example app template', () => {
  expect(normalizedTemplate()).toMatchSnapshot();
});

test('the normalized template is the same on every synth', () => {
  expect(normalizedTemplate()).toEqual(normalizedTemplate());
});

test('the example declares two snapshots, a schedule, a restore into a second namespace and a drill, sharing one provider', () => {
  const app = new App();
  const template = Template.fromStack(new ExampleStack(app, 'Example'));
  template.resourceCountIs('Custom::RedshiftServerlessSnapshot', 2);
  template.resourceCountIs('Custom::RedshiftServerlessSnapshotSchedule', 1);
  template.resourceCountIs('Custom::RedshiftServerlessRestore', 1);
  template.resourceCountIs('AWS::RedshiftServerless::Namespace', 2);
  template.resourceCountIs('AWS::RedshiftServerless::Workgroup', 2);
  template.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.onEvent' }, 1);
  // The Provider framework's waiter, and the drill's own.
  template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
  template.resourceCountIs('Custom::RedshiftServerlessRestoreDrill', 1);
  template.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.drillStep' }, 1);
});
