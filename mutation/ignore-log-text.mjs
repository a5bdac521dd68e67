// Stryker ignorer: leaves the handler's log calls unmutated.
//
// A log call's arguments (its message and its fields) are read by people, not by CloudFormation or
// by any caller: a mutant that changes only them changes no behaviour a test could pin down
// without pinning the wording of every log line. What the logs must carry that operators rely on
// (the level mapping, the context fields, the request ids, the pointer to the log group in failure
// reasons) lives outside these calls, in lambda/shared/log.ts and lambda/index.ts, and is mutated.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const LOG_METHODS = new Set(['info', 'warn', 'error']);

/** `log`, `this.log`, `lifecycle.log`: whatever the handler calls its Logger. */
function isLogger(node) {
  if (node.type === 'Identifier') return node.name === 'log';
  return node.type === 'MemberExpression' && !node.computed && node.property.name === 'log';
}

function isLogCall(node) {
  return (
    node.type === 'CallExpression' &&
    node.callee.type === 'MemberExpression' &&
    !node.callee.computed &&
    LOG_METHODS.has(node.callee.property.name) &&
    isLogger(node.callee.object)
  );
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-text', {
    shouldIgnore(path) {
      return isLogCall(path.node) ? 'Log text only: no caller or test reads it (see mutation/ignore-log-text.mjs).' : undefined;
    },
  }),
];
