/*
 * What a release needs, checked offline: the version in package.json has its changelog entry,
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

test.each(['.github/workflows/build.yml', '.github/workflows/release.yml'])('%s is a valid workflow', (file) => {
  expect(() =>
    execFileSync(path.join(root, 'node_modules', '.bin', 'action-validator'), [path.join(root, file)], { stdio: 'pipe' }),
  ).not.toThrow();
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
