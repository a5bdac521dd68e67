/*
 * A copy of the built package in a temporary folder, for the tests that pack it or run
 * jsii-pacmak (which packs it too). Packing in the repository would run `prepack`, which rebuilds
 * lib/ and assets/handler while other test files read them: one flaky run in two. The copy has
 * no scripts, so nothing it packs rebuilds anything, and its node_modules is the repository's
 * (pacmak reads the dependencies' assemblies there).
 */
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

export const REPOSITORY = path.join(__dirname, '..', '..');

/** What a package's build leaves and its pack reads: the manifest, the docs, the assembly, lib/ (sources and output) and the bundle. */
const PACKAGE_ENTRIES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'API.md', '.jsii', 'lib', 'assets'];

/** Copies the built package into a new temporary folder and returns that folder. */
export function packageCopy(): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'snapshot-package-'));
  for (const entry of PACKAGE_ENTRIES) cpSync(path.join(REPOSITORY, entry), path.join(copy, entry), { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(copy, 'package.json'), JSON.stringify({ ...manifest, scripts: {} }, null, 2));
  symlinkSync(path.join(REPOSITORY, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}
