/*
 * The README's Install section, run as written: its shell block, with the repository's address
 * pointed at this clone (offline but for the npm registry), in a fresh folder beside an empty
 * `my-cdk-app`. The app then holds the packed library of package.json's version, with what the
 * README shows. It clones the committed tree, so it packs a copy, never the files other tests read.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { REPOSITORY } from './build-guard/package-copy';

const README = readFileSync(path.join(REPOSITORY, 'README.md'), 'utf8');
const ADDRESS = 'https://github.com/cdk-redshift-serverless-snapshot/cdk-redshift-serverless-snapshot.git';
const version = (JSON.parse(readFileSync(path.join(REPOSITORY, 'package.json'), 'utf8')) as { version: string }).version;

function installCommands(): string {
  const section = /^## Install\n([\s\S]*?)^## /m.exec(README)?.[1] ?? '';
  return /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
}

test('the Install section clones this repository and installs the packed tarball into an app', () => {
  const commands = installCommands();
  expect(commands).toContain(`git clone ${ADDRESS}`);
  expect(commands.split('\n').filter(Boolean)).toHaveLength(3);
});

test('its commands, run as written against a clone, leave the packed library of this version in the app', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'install-'));
  try {
    mkdirSync(path.join(work, 'my-cdk-app'));
    writeFileSync(path.join(work, 'my-cdk-app', 'package.json'), JSON.stringify({ name: 'my-cdk-app', private: true }));
    // The address stands for this repository: a bare clone under the same last name, so `git clone` names its folder alike.
    const origin = path.join(work, 'origin', path.basename(new URL(ADDRESS).pathname));
    execFileSync('git', ['clone', '--quiet', '--bare', REPOSITORY, origin]);
    execFileSync('bash', ['-e', '-c', installCommands().replace(ADDRESS, origin)], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
      // npm's cache serves what the repository's own `npm ci` fetched; nothing else reaches the network but the registry.
      env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
    });
    const installed = path.join(work, 'my-cdk-app', 'node_modules', 'cdk-redshift-serverless-snapshot');
    expect((JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string }).version).toBe(version);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const library = require(installed) as Record<string, { latestOf?: unknown }>;
    expect(Object.keys(library)).toEqual(expect.arrayContaining(['RedshiftServerlessRestore', 'RestoreSource']) as unknown);
    expect(typeof library.RestoreSource.latestOf).toBe('function');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 300_000);
