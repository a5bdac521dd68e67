/*
 * The TypeScript examples of a markdown page, as a user would paste them into a stack: each block
 * (or every block of a page, read together) becomes a module exporting a stack class whose
 * constructor is the example. Fragments that use `namespace`, `workgroup`, `schemaVersion` or
 * `nightly` without declaring them get the declarations of the README's first two examples.
 */

const PACKAGE_NAME = 'cdk-redshift-serverless-snapshot';

const FRAGMENT_IMPORTS = [
  "import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';",
  `import { RedshiftServerlessSnapshot, RedshiftServerlessSnapshotSchedule, SnapshotSchedule } from '${PACKAGE_NAME}';`,
];
const FRAGMENT_DECLARATIONS: Record<string, string> = {
  namespace: "const namespace = new CfnNamespace(this, 'Namespace', { namespaceName: 'analytics' });",
  workgroup: "const workgroup = new CfnWorkgroup(this, 'Workgroup', { workgroupName: 'analytics', namespaceName: namespace.ref });",
  schemaVersion: "const schemaVersion = '42';",
  // The README's schedule, for its drill example read alone.
  nightly:
    "const nightly = new RedshiftServerlessSnapshotSchedule(this, 'Nightly', { namespace, workgroup, schedule: SnapshotSchedule.cron({ hour: '3' }) });",
};

/** A TypeScript example and the words after `ts` on its opening fence (`syntax-only`, say). */
export interface TypescriptExample {
  readonly block: string;
  readonly info: string[];
}

/** Marks an example that only shows syntax: it is compiled and synthesized, but no story deploys it. */
export const SYNTAX_ONLY = 'syntax-only';

export function typescriptExamples(markdown: string): TypescriptExample[] {
  return [...markdown.matchAll(/^```ts( [^\n]*)?\n([\s\S]*?)^```/gm)].map((match) => ({
    block: match[2],
    info: (match[1] ?? '').trim().split(/\s+/).filter(Boolean),
  }));
}

export function typescriptBlocks(markdown: string): string[] {
  return typescriptExamples(markdown).map((example) => example.block);
}

/** A module exporting a stack whose constructor is the example, as a user would write it. */
export function asStackModule(block: string): string {
  const lines = block.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const body = lines.filter((line) => !line.startsWith('import '));
  const declared = (name: string) => new RegExp(`\\bconst ${name}\\b`).test(block);
  // Comments may name a variable without using it.
  const code = block.replace(/\/\/.*$/gm, '');
  // Used as a value (`namespace,` or `{ namespace }`), not only as a property's name (`namespace: staging`)
  // nor inside another name or a string (`'analytics-nightly'`).
  const used = (name: string) => new RegExp(`(?<![\\w'"./-])${name}\\b(?!\\s*:)`).test(code);
  // The schedule's fragment uses the namespace's and the workgroup's.
  const needed = (name: string): boolean =>
    !declared(name) && (used(name) || (name !== 'nightly' && name !== 'schemaVersion' && needed('nightly')));
  const preamble = Object.entries(FRAGMENT_DECLARATIONS)
    .filter(([name]) => needed(name))
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

/** One import line per module, merging the names; namespace imports (`import * as sns ...`) kept once each. */
function dedupeByModule(imports: string[]): string[] {
  const byModule = new Map<string, Set<string>>();
  const namespaceImports = new Set(imports.filter((line) => /^import \* as \w+ from '.*';$/.test(line)));
  for (const line of imports) {
    const match = /^import \{ (.*) \} from '(.*)';$/.exec(line);
    if (!match) continue;
    const names = byModule.get(match[2]) ?? new Set<string>();
    match[1].split(',').forEach((name) => names.add(name.trim()));
    byModule.set(match[2], names);
  }
  return [...namespaceImports, ...[...byModule].map(([module, names]) => `import { ${[...names].sort().join(', ')} } from '${module}';`)];
}
