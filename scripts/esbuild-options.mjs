// The esbuild settings of the shipped handler bundle, shared with the benchmark's reference
// bundle so that both are built the same way.
export const HANDLER_BUILD_OPTIONS = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // The SDK's ES module builds tree-shake far better than its CommonJS ones.
  mainFields: ['module', 'main'],
  legalComments: 'eof',
  logLevel: 'warning',
};
