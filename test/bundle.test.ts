/*
 * The handler as it ships: the esbuild bundle that `npm run build` writes and the construct
 * points its Lambda code at. It is loaded the way Lambda loads it, by path, with no TypeScript.
 */
import { existsSync, statSync } from 'fs';
import * as path from 'path';
import { HANDLER_BUNDLE_DIR } from '../lib/provider/provider';

const bundlePath = path.join(HANDLER_BUNDLE_DIR, 'index.js');

interface Bundle {
  onEvent(event: unknown, context?: unknown): Promise<unknown>;
  isComplete(event: unknown, context?: unknown): Promise<unknown>;
}

test('the construct points at a bundle that exists, beside the compiled library', () => {
  expect(existsSync(bundlePath)).toBe(true);
  expect(path.relative(path.join(__dirname, '..'), bundlePath)).toBe(path.join('assets', 'handler', 'index.js'));
});

test('the bundle is one self-contained CommonJS file with both entry points', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = require(bundlePath) as Bundle;
  expect(typeof bundle.onEvent).toBe('function');
  expect(typeof bundle.isComplete).toBe('function');
  expect(statSync(bundlePath).size).toBeGreaterThan(50_000); // the SDK client is inside
});

test('the bundled handler checks properties before it calls anything', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = require(bundlePath) as Bundle;
  const event = {
    RequestType: 'Create',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1',
    LogicalResourceId: 'Snap',
    ResourceProperties: { SnapshotName: 'UPPER', NamespaceName: 'analytics', RetentionPeriod: '-1', RemovalPolicy: 'retain' },
  };
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await expect(bundle.onEvent(event, { getRemainingTimeInMillis: () => 60_000 })).rejects.toThrow(
      'Invalid snapshotName "UPPER": may contain only lowercase letters, digits and hyphens',
    );
    // One structured entry through console.error, which Lambda's JSON log format turns into a line.
    expect(error.mock.calls.at(-1)).toEqual([
      expect.objectContaining({ msg: 'step failed', step: 'onEvent', requestType: 'Create', namespaceName: 'analytics' }),
    ]);
  } finally {
    error.mockRestore();
  }
});
