/*
 * The TypeScript examples of the README and of every guide in docs/, compiled and synthesized as
 * a user would paste them into a stack, and checked for the order a real deployment needs: the workgroup after its namespace,
 * each snapshot, snapshot schedule and restore after both. Fragments that use `namespace`, `workgroup` or `schemaVersion`
 * without declaring them get the declarations of the first example.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { markdownFiles } from './markdown-files';

const WORK_DIR = path.join(__dirname, '.readme-examples');
const PACKAGE_NAME = 'cdk-redshift-serverless-snapshot';

const FRAGMENT_IMPORTS = [
  "import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';",
  `import { RedshiftServerlessSnapshot } from '${PACKAGE_NAME}';`,
];
const FRAGMENT_DECLARATIONS: Record<string, string> = {
  namespace: "const namespace = new CfnNamespace(this, 'Namespace', { namespaceName: 'analytics' });",
  workgroup: "const workgroup = new CfnWorkgroup(this, 'Workgroup', { workgroupName: 'analytics', namespaceName: namespace.ref });",
  schemaVersion: "const schemaVersion = '42';",
};

function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match) => match[1]);
}

/** A module exporting a stack whose constructor is the example, as a user would write it. */
function asStackModule(block: string): string {
  const lines = block.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const body = lines.filter((line) => !line.startsWith('import '));
  const declared = (name: string) => new RegExp(`\\bconst ${name}\\b`).test(block);
  const preamble = Object.entries(FRAGMENT_DECLARATIONS)
    // Used as a value (`namespace,` or `{ namespace }`), not only as a property's name (`namespace: staging`).
    .filter(([name]) => new RegExp(`\\b${name}\\b(?!\\s*:)`).test(block) && !declared(name))
    .map(([, declaration]) => declaration);
  const neededImports = preamble.length > 0 || imports.length === 0 ? FRAGMENT_IMPORTS : [];
  const allImports = [...new Set([...imports, ...neededImports])]
    .map((line) => line.replace(`'${PACKAGE_NAME}'`, `'../../lib'`))
    .filter((line, _, all) => !(line.includes("from 'aws-cdk-lib/aws-redshiftserverless'") && all.filter((l) => l === line).length > 1));
  return [
    "import { Stack } from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    ...dedupeByModule(allImports),
    'export class Example extends Stack {',
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    ...[...preamble, ...body].map((line) => `    ${line}`),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** One import line per module, merging the names. */
function dedupeByModule(imports: string[]): string[] {
  const byModule = new Map<string, Set<string>>();
  for (const line of imports) {
    const match = /^import \{ (.*) \} from '(.*)';$/.exec(line);
    if (!match) continue;
    const names = byModule.get(match[2]) ?? new Set<string>();
    match[1].split(',').forEach((name) => names.add(name.trim()));
    byModule.set(match[2], names);
  }
  return [...byModule].map(([module, names]) => `import { ${[...names].sort().join(', ')} } from '${module}';`);
}

/** Each example with the document it is in, so a failure names the file. */
const examples = markdownFiles().flatMap((file) =>
  typescriptBlocks(readFileSync(file, 'utf8')).map((block) => ({ block, document: path.relative(path.join(__dirname, '..'), file) })),
);
const blocks = examples.map((example) => example.block);
let files: string[] = [];

beforeAll(() => {
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  files = blocks.map((block, index) => {
    const file = path.join(WORK_DIR, `example-${index + 1}.ts`);
    writeFileSync(file, asStackModule(block));
    return file;
  });
});

afterAll(() => rmSync(WORK_DIR, { recursive: true, force: true }));

test('the README and the guides have TypeScript examples to check', () => {
  expect(examples.filter((e) => e.document === 'README.md').length).toBeGreaterThanOrEqual(3);
  expect(examples.filter((e) => e.document.startsWith('docs')).length).toBeGreaterThanOrEqual(3);
});

test('every TypeScript example compiles', () => {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(__dirname, '..', 'tsconfig.dev.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.dev.json could not be read');
  // Expression statements like `snapshot.snapshotArn;` are fine in an example.
  const program = ts.createProgram(files, { ...config.options, noUnusedLocals: false });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && files.includes(path.resolve(diagnostic.file.fileName)))
    .map(
      (diagnostic) => `${path.basename(diagnostic.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
  expect(problems).toEqual([]);
});

describe.each(examples.map((example, index) => [index + 1, example.document] as const))('example %i (%s)', (number) => {
  type Resource = { Type: string; DependsOn?: string[]; Properties?: unknown };

  function synthesize(): Record<string, Resource> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Example } = require(path.join(WORK_DIR, `example-${number}.ts`)) as { Example: new (scope: App, id: string) => Stack };
    return Template.fromStack(new Example(new App(), `ReadmeExample${number}`)).toJSON().Resources as Record<string, Resource>;
  }

  /** Whether CloudFormation creates `later` after `earlier`: a DependsOn, a Ref or a GetAtt. */
  function after(later: Resource, earlierId: string): boolean {
    const text = JSON.stringify(later.Properties ?? {});
    return (
      (later.DependsOn ?? []).includes(earlierId) ||
      text.includes(`{"Ref":"${earlierId}"}`) ||
      text.includes(`"Fn::GetAtt":["${earlierId}"`)
    );
  }

  test('synthesizes, with the workgroup after its namespace and each snapshot, schedule or restore after both', () => {
    const resources = synthesize();
    const idsOf = (type: string) => Object.keys(resources).filter((id) => resources[id].Type === type);
    const namespaces = idsOf('AWS::RedshiftServerless::Namespace');
    const workgroups = idsOf('AWS::RedshiftServerless::Workgroup');
    const snapshots = [
      ...idsOf('Custom::RedshiftServerlessSnapshot'),
      ...idsOf('Custom::RedshiftServerlessSnapshotSchedule'),
      ...idsOf('Custom::RedshiftServerlessRestore'),
    ];
    expect(snapshots.length).toBeGreaterThan(0);
    // An example may declare a second namespace (a restore's target): each resource comes after one of each.
    const afterOneOf = (later: Resource, ids: string[]) => ids.some((id) => after(later, id));
    for (const workgroup of workgroups) expect(afterOneOf(resources[workgroup], namespaces)).toBe(true);
    for (const snapshot of snapshots) {
      expect([afterOneOf(resources[snapshot], namespaces), afterOneOf(resources[snapshot], workgroups)]).toEqual([true, true]);
    }
  });
});
