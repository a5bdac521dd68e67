// Writes test/local-endpoint/published-constraints.json: the request constraints of the
// operations the handler calls, taken from the published Redshift Serverless service model (the
// one the SDKs are generated from), so that the local endpoint refuses what AWS refuses.
//
//   node scripts/service-constraints.mjs [path/to/service-2.json.gz]
//
// Without a path it reads the model from the Python botocore package, where one is installed
// (botocore/data/redshift-serverless/2021-04-21/service-2.json.gz). Only this script needs it:
// the tests read the committed JSON.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The operations whose requests the endpoint checks: every one it serves. */
const OPERATIONS = [
  'CreateSnapshot',
  'GetSnapshot',
  'UpdateSnapshot',
  'DeleteSnapshot',
  'ListSnapshots',
  'GetNamespace',
  'ListTagsForResource',
  'TagResource',
  'UntagResource',
  'GetResourcePolicy',
  'PutResourcePolicy',
  'DeleteResourcePolicy',
  'CreateScheduledAction',
  'GetScheduledAction',
  'UpdateScheduledAction',
  'DeleteScheduledAction',
  'ListScheduledActions',
  'GetWorkgroup',
  'RestoreFromSnapshot',
  'RestoreFromRecoveryPoint',
  'ListRecoveryPoints',
  'GetRecoveryPoint',
];
/** What a shape may say about a request; documentation and the rest are left out. */
const KEPT = ['type', 'required', 'union', 'min', 'max', 'pattern', 'enum'];

function modelPath() {
  if (process.argv[2]) return process.argv[2];
  const botocore = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], {
    encoding: 'utf8',
  }).trim();
  return path.join(botocore, 'data', 'redshift-serverless', '2021-04-21', 'service-2.json.gz');
}

function botocoreVersion() {
  try {
    return execFileSync('python3', ['-c', 'import botocore; print(botocore.__version__)'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const file = modelPath();
const model = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
const shapes = {};

function keep(name) {
  if (shapes[name]) return;
  const shape = model.shapes[name];
  const kept = Object.fromEntries(KEPT.filter((key) => shape[key] !== undefined).map((key) => [key, shape[key]]));
  shapes[name] = kept;
  if (shape.members) {
    kept.members = Object.fromEntries(Object.entries(shape.members).map(([member, { shape: target }]) => [member, target]));
    Object.values(kept.members).forEach(keep);
  }
  if (shape.member) {
    kept.member = shape.member.shape;
    keep(kept.member);
  }
}

const operations = Object.fromEntries(OPERATIONS.map((operation) => [operation, model.operations[operation].input.shape]));
Object.values(operations).forEach(keep);

const sorted = Object.fromEntries(
  Object.keys(shapes)
    .sort()
    .map((name) => [name, shapes[name]]),
);
const output = {
  source: `${model.metadata.uid} service model, as botocore ${process.argv[2] ? '(given file)' : botocoreVersion()} ships it`,
  protocol: model.metadata.protocol,
  operations,
  shapes: sorted,
};
const target = path.join('test', 'local-endpoint', 'published-constraints.json');
writeFileSync(target, `${JSON.stringify(output, null, 2)}\n`);
console.log(`${target}: ${OPERATIONS.length} operations, ${Object.keys(sorted).length} shapes, from ${file}`);
