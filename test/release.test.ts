/*
 * What a release needs, checked offline: the version in package.json has its changelog entry,
 * the README installs that version and says where to get what it shows that the version lacks,
 * and both GitHub Actions workflows are valid (action-validator, GPL-3.0, a devDependency of the
 * tests only) and do what CONTRIBUTING.md says they do.
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const version = (JSON.parse(read('package.json')) as { version: string }).version;

test('the version in package.json has an entry in CHANGELOG.md', () => {
  const headings = read('CHANGELOG.md')
    .split('\n')
    .filter((line) => line.startsWith('## '));
  expect(headings.some((line) => new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?[ (]`).test(line))).toBe(true);
});

/** The README's Install section, up to the next second-level heading. */
const installSection = () => /^## Install\n([\s\S]*?)^## /m.exec(read('README.md'))?.[1] ?? '';

test("the README installs package.json's version, which is the changelog's newest release, and names no tag that is not there", () => {
  const install = installSection();
  const tarballs = [...install.matchAll(/cdk-redshift-serverless-snapshot-(\d+\.\d+\.\d+)\.tgz/g)].map((m) => m[1]);
  expect(tarballs.length).toBeGreaterThan(0);
  expect(new Set(tarballs)).toEqual(new Set([version]));
  expect(install).toContain(`version ${version}`);
  const tags = execFileSync('git', ['tag', '--list'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const [, tag] of install.matchAll(/--branch (\S+)/g)) expect(tags).toContain(tag);
  const newestRelease = /^## \[?(\d+\.\d+\.\d+)\]?[ (]/m.exec(read('CHANGELOG.md'))?.[1];
  expect(newestRelease).toBe(version);
});

test('every construct the README shows that the installed version lacks is named in the Install section, with where to get it', () => {
  // The changelog's Unreleased section names, in backticks, what the next version adds.
  const unreleased = /^## Unreleased\n([\s\S]*?)^## /m.exec(read('CHANGELOG.md'))?.[1] ?? '';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = new Set(Object.keys(require('../lib') as object));
  const added = [...unreleased.matchAll(/`(\w+)`/g)].map((m) => m[1]).filter((name) => exported.has(name));
  const shown = added.filter((name) => new RegExp(`\\b${name}\\b`).test(read('README.md').replace(installSection(), '')));
  const install = installSection();
  for (const name of shown) expect(install).toContain(`\`${name}\``);
  if (shown.length > 0) expect(install).toMatch(/clone `main`/);
});

test('the release workflow refuses to publish a README that still says it is not published', () => {
  const workflow = read('.github/workflows/release.yml');
  expect(workflow).toContain("! grep -q 'Not published yet' README.md");
  // The check is a step of the job every publishing job needs.
  const packageJob = workflow.slice(workflow.indexOf('  package:'), workflow.indexOf('\n  npm:'));
  expect(packageJob).toContain("! grep -q 'Not published yet' README.md");
  expect(workflow.match(/needs: package/g)?.length).toBeGreaterThanOrEqual(5);
});

test.each(['.github/workflows/build.yml', '.github/workflows/release.yml', '.github/workflows/verify-aws.yml'])(
  '%s is a valid workflow',
  (file) => {
    expect(() =>
      execFileSync(path.join(root, 'node_modules', '.bin', 'action-validator'), [path.join(root, file)], { stdio: 'pipe' }),
    ).not.toThrow();
  },
);

test('the verify-aws workflow runs the probe weekly and on demand, with an OIDC role from a variable, keeps the JSON and fails on a difference', () => {
  const workflow = read('.github/workflows/verify-aws.yml');
  expect(workflow).toMatch(/on:\n\s+schedule:\n\s+- cron: '[^']+'\n\s+workflow_dispatch:/);
  expect(workflow).toContain('id-token: write');
  expect(workflow).toContain('role-to-assume: ${{ vars.VERIFY_AWS_ROLE_ARN }}');
  expect(workflow).not.toMatch(/aws-access-key-id|secrets\./);
  expect(workflow).toMatch(/npm run verify:aws -- .*--yes --fail-on-difference --json verify-aws-results\.json/);
  expect(workflow).toMatch(/if: \$\{\{ always\(\) \}\}\n\s+uses: actions\/upload-artifact@v4\n[\s\S]*path: verify-aws-results\.json/);
  // Every variable the workflow reads is one the guide says how to set.
  const guide = read('docs/verifying.md');
  for (const variable of new Set([...workflow.matchAll(/vars\.(\w+)/g)].map((m) => m[1]))) expect(guide).toContain(variable);
});

test("the build workflow runs the README's two commands on every push and pull request", () => {
  const workflow = read('.github/workflows/build.yml');
  expect(workflow).toMatch(/on:\n\s+push:[\s\S]*pull_request:/);
  expect(workflow).toContain('run: npm ci && npx cdk synth');
  expect(workflow).toContain('run: npm test');
  expect(read('README.md')).toContain('npm ci && npx cdk synth');
});

test('the README names exactly the Node.js releases the build workflow runs the two commands on', () => {
  const matrix = /node-version: \[([\d, ]+)\]/.exec(read('.github/workflows/build.yml'))?.[1].split(/,\s*/);
  expect(matrix).toEqual(['20', '22', '24']);
  expect(read('.github/workflows/build.yml')).toContain('node-version: ${{ matrix.node-version }}');
  const statement = /tested on Node\.js ([\d, and]+) by the build workflow/.exec(read('README.md'))?.[1];
  expect(statement?.split(/,\s*|\s+and\s+/)).toEqual(matrix);
});

test('the release workflow tests, packages every target and publishes to the five registries', () => {
  const workflow = read('.github/workflows/release.yml');
  expect(workflow).toMatch(/tags: \['v\*\.\*\.\*'\]/);
  expect(workflow).toContain('run: npm test');
  expect(workflow).toContain('npx jsii-pacmak --outdir dist');
  for (const publisher of ['publib-npm', 'publib-pypi', 'publib-maven', 'publib-nuget', 'publib-golang']) {
    expect(workflow).toContain(publisher);
  }
});
