// Bundles the Lambda handler and the AWS SDK client it uses into one minified CommonJS file,
// assets/handler/index.js, which the construct ships as its Lambda code. Run by `npm run build`.
import { build } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';
import { HANDLER_BUILD_OPTIONS } from './esbuild-options.mjs';

const outdir = 'assets/handler';
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  ...HANDLER_BUILD_OPTIONS,
  entryPoints: ['lambda/index.ts'],
  outfile: `${outdir}/index.js`,
  // The Lambda runtime provides them (see lambda/shared/aws-clients.ts, parameter-store.ts and lambda/drill/); the tests put them on NODE_PATH.
  external: [
    '@aws-sdk/client-cloudformation',
    '@aws-sdk/client-ssm',
    '@aws-sdk/client-redshift-data',
    '@aws-sdk/client-cloudwatch',
    '@aws-sdk/client-eventbridge',
  ],
});
