/*
 * The TypeScript examples of the README and of every guide in docs/, compiled and synthesized as
 * a user would paste them into a stack, and checked for the order a real deployment needs: the workgroup after its namespace,
 * each snapshot, snapshot schedule and restore after both. Fragments that use `namespace`, `workgroup` or `schemaVersion`
 * without declaring them get the declarations of the first example (test/markdown-examples.ts). The examples of one page,
 * read together, restore only into namespaces declared for that: none that another example backs up or reads, except a
 * restore from a snapshot of its own target (undoing a migration). What the README's examples do when deployed is
 * test/stories/readme.story.test.ts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { markdownFiles } from './markdown-files';
import { asStackModule, SYNTAX_ONLY, typescriptBlocks, typescriptExamples } from './markdown-examples';
import { STORY_BLOCKS } from './stories/story-blocks';

const WORK_DIR = path.join(__dirname, '.readme-examples');
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

test.each(markdownFiles().map((file) => [path.relative(path.join(__dirname, '..'), file), file]))(
  'every TypeScript example of %s that claims an outcome runs its story; any other says it only shows syntax',
  (page, file) => {
    const listed = STORY_BLOCKS[page] ?? [];
    const examplesOfPage = typescriptExamples(readFileSync(file, 'utf8'));
    const unaccounted = examplesOfPage
      .map((example, index) => ({ index, syntaxOnly: example.info.includes(SYNTAX_ONLY) }))
      .filter(({ index, syntaxOnly }) => !listed.includes(index) && !syntaxOnly)
      .map(({ index }) => index);
    expect(unaccounted).toEqual([]);
    // A listed block exists, and is not also marked syntax-only.
    for (const index of listed) expect(examplesOfPage[index]?.info).not.toContain(SYNTAX_ONLY);
  },
);

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

type Resource = { Type: string; DependsOn?: string[]; Properties?: Record<string, unknown> };

/** The resources of example `number` (1-based), synthesized in a stack of its own. */
function synthesize(number: number): Record<string, Resource> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Example } = require(path.join(WORK_DIR, `example-${number}.ts`)) as { Example: new (scope: App, id: string) => Stack };
  return Template.fromStack(new Example(new App(), `ReadmeExample${number}`)).toJSON().Resources as Record<string, Resource>;
}

/**
 * What an example's restores overwrite and what its other resources keep or read, by namespace
 * name: a Ref to a CfnNamespace is its name. A restore whose source is a snapshot of its own target
 * (undoing a migration) names that namespace as `undoes`.
 */
function namespacesIn(resources: Record<string, Resource>) {
  const nameOf = (value: unknown): string => {
    const ref = (value as { Ref?: string } | undefined)?.Ref;
    // A namespace's name is a string in these examples; JSON keeps anything else recognizable in a failure.
    const named = ref === undefined ? value : (resources[ref]?.Properties?.NamespaceName ?? ref);
    return typeof named === 'string' ? named : JSON.stringify(named);
  };
  const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);
  // The namespace of the snapshot resource of this example a source names: RestoreSource.snapshot(construct) renders a Ref to it.
  const snapshotOf = (source: Record<string, unknown>) => {
    const ref = (source.SnapshotName as { Ref?: string } | undefined)?.Ref;
    const snapshot = ref === undefined ? undefined : resources[ref];
    return snapshot?.Type === 'Custom::RedshiftServerlessSnapshot' ? snapshot.Properties?.NamespaceName : undefined;
  };
  return {
    kept: [...ofType('Custom::RedshiftServerlessSnapshot'), ...ofType('Custom::RedshiftServerlessSnapshotSchedule')].map((r) =>
      nameOf(r.Properties?.NamespaceName),
    ),
    read: ofType('Custom::RedshiftServerlessRestore')
      .map((r) => (r.Properties?.Source as Record<string, unknown>).NamespaceName)
      .filter((name) => name !== undefined)
      .map(nameOf),
    restored: ofType('Custom::RedshiftServerlessRestore').map((r) => {
      const source = r.Properties?.Source as Record<string, unknown>;
      const ownSnapshot = snapshotOf(source);
      return { target: nameOf(r.Properties?.NamespaceName), undoes: ownSnapshot === undefined ? undefined : nameOf(ownSnapshot) };
    }),
  };
}

const pages = [...new Set(examples.map((e) => e.document))];

test.each(pages)('the examples of %s, read together, restore only into namespaces no other example keeps or reads', (page) => {
  const found = examples
    .map((example, index) => ({ ...example, number: index + 1 }))
    .filter((example) => example.document === page)
    .map((example) => namespacesIn(synthesize(example.number)));
  const keptOrRead = new Set(found.flatMap((f) => [...f.kept, ...f.read]));
  const clashes = found
    .flatMap((f) => f.restored)
    .filter((restore) => keptOrRead.has(restore.target) && restore.undoes !== restore.target)
    .map((restore) => restore.target);
  expect(clashes).toEqual([]);
});

test('the page check sees a restore into a namespace the page backs up', () => {
  const resources: Record<string, Resource> = {
    Ns: { Type: 'AWS::RedshiftServerless::Namespace', Properties: { NamespaceName: 'analytics' } },
    Snap: { Type: 'Custom::RedshiftServerlessSnapshot', Properties: { NamespaceName: { Ref: 'Ns' } } },
    Undo: {
      Type: 'Custom::RedshiftServerlessRestore',
      Properties: { NamespaceName: { Ref: 'Ns' }, Source: { SnapshotName: { Ref: 'Snap' } } },
    },
    Refresh: {
      Type: 'Custom::RedshiftServerlessRestore',
      Properties: { NamespaceName: 'analytics', Source: { NamespaceName: 'production' } },
    },
  };
  expect(namespacesIn(resources)).toEqual({
    kept: ['analytics'],
    read: ['production'],
    restored: [
      { target: 'analytics', undoes: 'analytics' },
      { target: 'analytics', undoes: undefined },
    ],
  });
});

describe.each(examples.map((example, index) => [index + 1, example.document] as const))('example %i (%s)', (number) => {
  const synthesizeExample = () => synthesize(number);

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
    const resources = synthesizeExample();
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
