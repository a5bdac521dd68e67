// A stand-in for the Lambda Node.js runtime, for the lifecycle tests and the demo: a plain Node
// process that loads a function's code by path, as Lambda does (no TypeScript, no jest), and
// runs its exported functions on request over IPC. The function's log lines go to this
// process's stdout, as they go to CloudWatch in Lambda; an error is reported as Lambda reports
// it (errorType, errorMessage, trace).
'use strict';

const handler = require(process.argv[2]);

process.on('message', async ({ id, name, event, remainingMs }) => {
  const deadline = Date.now() + remainingMs;
  const context = {
    functionName: 'redshift-serverless-snapshot-handler',
    awsRequestId: id,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  try {
    const result = await handler[name](event, context);
    process.send({ id, result: result === undefined ? null : result });
  } catch (error) {
    const trace = error && typeof error.stack === 'string' ? error.stack.split('\n') : [];
    process.send({ id, error: { errorType: error && error.name, errorMessage: error && error.message, trace } });
  }
});

process.send({ ready: true });
