// Bundles the Lambda handler and the AWS SDK client it uses into one minified CommonJS file,
// assets/handler/index.js, which the construct ships as its Lambda code. Run by `npm run build`.
import { build } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';

const outdir = 'assets/handler';
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: ['lambda/index.ts'],
  outfile: `${outdir}/index.js`,
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // The SDK's ES module builds tree-shake far better than its CommonJS ones.
  mainFields: ['module', 'main'],
  legalComments: 'eof',
  logLevel: 'warning',
});
