// One cold start, as the benchmark measures it: a fresh Node process loads a handler bundle by
// path and runs one Create onEvent. The parent times the whole process.
'use strict';

const [bundle, snapshotName] = process.argv.slice(2);
const handler = require(bundle);
const event = {
  RequestType: 'Create',
  RequestId: snapshotName,
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Bench/1',
  LogicalResourceId: 'Snapshot',
  ResourceProperties: { SnapshotName: snapshotName, NamespaceName: 'bench', RetentionPeriod: '-1', RemovalPolicy: 'retain' },
};
const originalWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true; // the handler's log lines are not what is measured
handler.onEvent(event, { getRemainingTimeInMillis: () => 60000 }).then(
  () => {
    process.stdout.write = originalWrite;
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
