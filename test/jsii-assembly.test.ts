/*
 * The public API as jsii compiled it (`.jsii`, written by `npm run build`): the rules that keep
 * it usable from Python, Java, .NET and Go, beyond what the jsii compiler itself enforces.
 */
import { readFileSync } from 'fs';
import * as path from 'path';

interface TypeReference {
  fqn?: string;
  primitive?: string;
  collection?: { kind: string; elementtype: TypeReference };
  union?: { types: TypeReference[] };
}

interface Member {
  name: string;
  optional?: boolean;
  docs?: { summary?: string; default?: string };
  type?: TypeReference;
  returns?: { type: TypeReference };
  parameters?: Member[];
}

interface JsiiType {
  fqn: string;
  name: string;
  kind: 'class' | 'interface' | 'enum';
  datatype?: boolean;
  docs?: { summary?: string };
  properties?: Member[];
  methods?: Member[];
  initializer?: { parameters?: Member[] };
}

const assembly = JSON.parse(readFileSync(path.join(__dirname, '..', '.jsii'), 'utf8')) as {
  targets: Record<string, unknown>;
  types: Record<string, JsiiType>;
};
const types = Object.values(assembly.types);

function unions(reference: TypeReference | undefined): boolean {
  if (!reference) return false;
  if (reference.union) return true;
  return unions(reference.collection?.elementtype);
}

test('targets Python, Java, .NET and Go with module names', () => {
  expect(assembly.targets).toMatchObject({
    python: { distName: 'cdk-redshift-serverless-snapshot', module: 'cdk_redshift_serverless_snapshot' },
    java: { package: 'io.github.cdkredshiftserverlesssnapshot' },
    dotnet: { namespace: 'CdkRedshiftServerlessSnapshot' },
    go: { moduleName: expect.stringContaining('github.com/') as unknown },
  });
});

test("exports the four constructs, their props (and the alarms'), structs and interface, and nothing of the handler", () => {
  expect(types.map((t) => t.name).sort()).toEqual([
    'CronOptions',
    'DrillCheck',
    'DrillExpectation',
    'DrillSchedule',
    'FailedDrillAlarmProps',
    'IRedshiftServerlessSnapshot',
    'LatestRecoveryPointOptions',
    'LatestSnapshotOptions',
    'MissedSnapshotAlarmProps',
    'RedshiftServerlessRestore',
    'RedshiftServerlessRestoreDrill',
    'RedshiftServerlessRestoreDrillProps',
    'RedshiftServerlessRestoreProps',
    'RedshiftServerlessSnapshot',
    'RedshiftServerlessSnapshotAttributes',
    'RedshiftServerlessSnapshotProps',
    'RedshiftServerlessSnapshotSchedule',
    'RedshiftServerlessSnapshotScheduleProps',
    'RestoreSource',
    'SnapshotSchedule',
  ]);
});

test('no union types anywhere in the public API', () => {
  const offenders = types.flatMap((type) =>
    [...(type.properties ?? []), ...(type.methods ?? []), ...(type.initializer?.parameters ?? [])]
      .flatMap((member) => [member, ...(member.parameters ?? [])])
      .filter((member) => unions(member.type) || unions(member.returns?.type))
      .map((member) => `${type.name}.${member.name}`),
  );
  expect(offenders).toEqual([]);
});

test('structs are named without an I prefix; behavioural interfaces with one', () => {
  for (const type of types.filter((t) => t.kind === 'interface')) {
    expect({ name: type.name, struct: type.datatype === true }).toEqual({ name: type.name, struct: !/^I[A-Z]/.test(type.name) });
  }
});

test('every public type, property and optional prop is documented, optional props with their @default', () => {
  const missing: string[] = [];
  for (const type of types) {
    if (!type.docs?.summary) missing.push(type.name);
    for (const property of type.properties ?? []) {
      if (!property.docs?.summary) missing.push(`${type.name}.${property.name}`);
      if (type.datatype && property.optional && property.docs?.default === undefined)
        missing.push(`${type.name}.${property.name} @default`);
    }
  }
  expect(missing).toEqual([]);
});
