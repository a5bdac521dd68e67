/*
 * The example app that `npx cdk synth` runs (see cdk.json). It synthesizes offline, with no AWS
 * account: the stack is environment-agnostic.
 */
import { App } from 'aws-cdk-lib';
import { ExampleStack } from './example-stack';

const app = new App();
new ExampleStack(app, 'RedshiftServerlessSnapshotExample');
app.synth();
