// A stand-in for the Lambda Node.js runtime, for the lifecycle tests and the demo: a plain Node
// process that loads a function's code by path, as Lambda does (no TypeScript, no jest), and
// runs its exported functions on request over IPC. As Lambda does for a function whose log
// format is JSON, console output becomes one JSON line per call, {timestamp, level, requestId,
// message}, filtered by AWS_LAMBDA_LOG_LEVEL; an error is reported as Lambda reports it
// (errorType, errorMessage, trace).
'use strict';

const { format } = require('util');

const LEVELS = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
const threshold = LEVELS[(process.env.AWS_LAMBDA_LOG_LEVEL || 'TRACE').toUpperCase()] || 1;
let currentRequestId;

function patchConsole(method, level) {
  console[method] = (message, ...params) => {
    if (LEVELS[level] < threshold) return;
    const line = { timestamp: new Date().toISOString(), level, requestId: currentRequestId };
    line.message = params.length === 0 ? message : format(message, ...params);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
}
patchConsole('log', 'INFO');
patchConsole('info', 'INFO');
patchConsole('debug', 'DEBUG');
patchConsole('trace', 'TRACE');
patchConsole('warn', 'WARN');
patchConsole('error', 'ERROR');

const handler = require(process.argv[2]);

process.on('message', async ({ id, name, event, remainingMs }) => {
  const deadline = Date.now() + remainingMs;
  const context = {
    functionName: 'redshift-serverless-snapshot-handler',
    awsRequestId: id,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  currentRequestId = id;
  try {
    const result = await handler[name](event, context);
    process.send({ id, result: result === undefined ? null : result, coverage: takeMutantCoverage() });
  } catch (error) {
    const trace = error && typeof error.stack === 'string' ? error.stack.split('\n') : [];
    process.send({
      id,
      error: { errorType: error && error.name, errorMessage: error && error.message, trace },
      coverage: takeMutantCoverage(),
    });
  }
});

// In a mutation run (test/mutation/stryker-bridge.ts), the mutants the code reached since the last
// invocation; undefined otherwise.
function takeMutantCoverage() {
  const coverage = global.__stryker__ && global.__stryker__.mutantCoverage;
  if (!coverage) return undefined;
  const reached = coverage.static;
  coverage.static = {};
  return reached;
}

process.send({ ready: true, coverage: takeMutantCoverage() });
