/* The handler's pure decisions, tested directly. */
import { errorMessage, errorName, isConflict, isNotFound, isTransient } from '../../lambda/shared/errors';
import { handlerTags, isOwnedBy, isTakenBy, ownerOf, requestOf } from '../../lambda/snapshot/ownership';
import { parseProperties, readPreviousProperties, removalPolicyOf, timeoutSecondsOf } from '../../lambda/snapshot/properties';
import { diffTags, sameTags } from '../../lambda/snapshot/tag-diff';
import { InPlacePlan, planUpdate, touchesSnapshot } from '../../lambda/snapshot/update-plan';
import { asCallError, CallError } from '../../lambda/shared/retry';
import { asProperties, asString, parseTags } from '../../lambda/shared/raw-properties';
import { isRollingBack } from '../../lambda/shared/stack-status';
import { RuleViolation } from '../../lib/rules/snapshot-rules';
import { OWNER_KEY, properties, REQUEST_ID, serviceError } from './support';

const spec = (overrides = {}) => parseProperties(properties(overrides));

describe('planUpdate', () => {
  test('retention only', () => {
    expect(planUpdate(spec(), spec({ RetentionPeriod: '9' }))).toEqual({
      kind: 'in-place',
      retentionDays: 9,
      tagsChanged: false,
      restoreAccountsChanged: false,
      namespaceChanged: false,
    });
  });
  test('tags only', () => {
    expect(planUpdate(spec(), spec({ Tags: [] }))).toEqual({
      kind: 'in-place',
      retentionDays: undefined,
      tagsChanged: true,
      restoreAccountsChanged: false,
      namespaceChanged: false,
    });
  });
  test('nothing that touches the snapshot', () => {
    expect(planUpdate(spec(), spec({ RemovalPolicy: 'retain', TimeoutSeconds: '60' }))).toEqual({
      kind: 'in-place',
      retentionDays: undefined,
      tagsChanged: false,
      restoreAccountsChanged: false,
      namespaceChanged: false,
    });
  });
  test('a new namespace under the same name is in place, judged against the snapshot, never thrown here', () => {
    expect(planUpdate(spec(), spec({ NamespaceName: 'other' }))).toMatchObject({ kind: 'in-place', namespaceChanged: true });
    expect(touchesSnapshot(planUpdate(spec(), spec({ NamespaceName: 'other' })) as InPlacePlan)).toBe(true);
    expect(touchesSnapshot(planUpdate(spec(), spec({ RemovalPolicy: 'retain' })) as InPlacePlan)).toBe(false);
  });
  test('a rename replaces, whatever else changed', () => {
    expect(planUpdate(spec(), spec({ SnapshotName: 'other', RetentionPeriod: '1' }))).toEqual({
      kind: 'replace',
      reason: 'snapshotName changed from "nightly" to "other"',
    });
  });
});

describe('diffTags', () => {
  const actual = new Map([
    [OWNER_KEY, 'me'],
    ['keep', '1'],
    ['change', 'old'],
    ['drop', 'x'],
    ['foreign', 'y'],
  ]);
  test('sets what differs, removes only what this resource managed before', () => {
    expect(
      diffTags(
        actual,
        [
          { key: 'keep', value: '1' },
          { key: 'change', value: 'new' },
          { key: 'add', value: 'a' },
        ],
        [
          { key: 'keep', value: '1' },
          { key: 'change', value: 'old' },
          { key: 'drop', value: 'x' },
          { key: 'gone-already', value: 'z' },
        ],
      ),
    ).toEqual({
      toSet: [
        { key: 'change', value: 'new' },
        { key: 'add', value: 'a' },
      ],
      toRemove: ['drop'],
    });
  });
  test('repairs drift of a wanted tag even when the properties did not change it', () => {
    expect(diffTags(new Map([['keep', 'edited']]), [{ key: 'keep', value: '1' }], [{ key: 'keep', value: '1' }]).toSet).toEqual([
      { key: 'keep', value: '1' },
    ]);
  });
  test('sameTags ignores order', () => {
    expect(
      sameTags(
        [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
        [
          { key: 'b', value: '2' },
          { key: 'a', value: '1' },
        ],
      ),
    ).toBe(true);
    expect(sameTags([{ key: 'a', value: '1' }], [{ key: 'a', value: '2' }])).toBe(false);
  });
});

describe('parseProperties', () => {
  test('numbers arrive as strings from CloudFormation', () => {
    expect(spec()).toEqual({
      snapshotName: 'nightly',
      namespaceName: 'analytics',
      retentionDays: 7,
      tags: [{ key: 'team', value: 'data' }],
      removalPolicy: 'destroy',
      timeoutSeconds: 600,
      restoreAccounts: [],
      waitForAvailable: true,
    });
  });
  test('reports every violation at once', () => {
    expect(() => parseProperties({ SnapshotName: 'ab', NamespaceName: '', RetentionPeriod: 'seven', RemovalPolicy: 'snapshot' })).toThrow(
      'Invalid snapshotName "ab": must be 3-64 characters long (it has 2); ' +
        'Invalid namespaceName "": must be 3-64 characters long (it has 0); ' +
        'Invalid retention "seven": must be a number of days; ' +
        'Invalid removalPolicy "snapshot": must be "retain" or "destroy"',
    );
  });
  test('tag rules: count, key length, value length', () => {
    const many = Array.from({ length: 201 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(() => spec({ Tags: many })).toThrow('Invalid tags "201 tags": a snapshot can have at most 200 tags');
    expect(() => spec({ Tags: [{ Key: '', Value: 'v' }] })).toThrow('a tag key must be 1-128 characters long (it has 0)');
    expect(() => spec({ Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] })).toThrow('must be at most 256 characters long (it has 257)');
    expect(() => spec({ Tags: 'not-a-list' })).toThrow('Invalid tags "\\"not-a-list\\"": must be a list of {Key, Value} pairs');
  });
  test('a missing removal policy means retain; an unknown one is refused', () => {
    expect(parseProperties({ ...properties(), RemovalPolicy: undefined }).removalPolicy).toBe('retain');
    expect(() => parseProperties({ ...properties(), RemovalPolicy: 'keep' })).toThrow('Invalid removalPolicy "keep"');
  });
  test('removalPolicyOf falls back to retain', () => {
    expect(removalPolicyOf({ RemovalPolicy: 'destroy' })).toBe('destroy');
    expect(removalPolicyOf({ RemovalPolicy: 'DESTROY' })).toBe('retain');
    expect(removalPolicyOf(undefined)).toBe('retain');
  });
});

describe('ownership', () => {
  test('the owner is the stack id and the logical id', () => {
    expect(ownerOf({ StackId: 'arn:stack/S/1', LogicalResourceId: 'Snap' })).toBe('arn:stack/S/1/Snap');
  });
  test('an owner too long for a tag value is hashed to fit', () => {
    const owner = ownerOf({
      StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${'s'.repeat(128)}/uuid`,
      LogicalResourceId: 'L'.repeat(200),
    });
    expect(owner).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(owner).toBe(
      ownerOf({
        StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${'s'.repeat(128)}/uuid`,
        LogicalResourceId: 'L'.repeat(200),
      }),
    );
  });
  // Deployed snapshots carry these values: a change in how they are made would leave every
  // snapshot taken before it unrecognised, never again updated or deleted by its resource.
  test('an owner of up to 256 characters is written as it is; one longer, as its SHA-256', () => {
    const stackId = `arn:aws:cloudformation:us-east-1:123456789012:stack/${'s'.repeat(147)}`;
    expect(ownerOf({ StackId: stackId, LogicalResourceId: 'L'.repeat(56) })).toBe(`${stackId}/${'L'.repeat(56)}`);
    expect(ownerOf({ StackId: stackId, LogicalResourceId: 'L'.repeat(56) })).toHaveLength(256);
    expect(ownerOf({ StackId: stackId, LogicalResourceId: 'L'.repeat(57) })).toBe(
      'sha256:8e0740a8d77ca71856a035b17e7a3f9f05e85445c698b0b70664c8c49dbada3c',
    );
  });
  test('the creating request is the RequestId, fitted the same way', () => {
    expect(requestOf({ RequestId: REQUEST_ID })).toBe(REQUEST_ID);
    expect(requestOf({ RequestId: 'r'.repeat(257) })).toBe('sha256:62f1ad91072eb59aba4e093d8953818cb6b4d9215f944edf7ef46f8d6e8381ed');
    expect(requestOf({})).toBe('unknown-request');
    expect(ownerOf({})).toBe('unknown-stack/unknown-resource');
  });
  test('the tag keys are the ones deployed snapshots carry', () => {
    expect(handlerTags('the-owner', 'the-request')).toEqual([
      { key: 'cdk-redshift-serverless-snapshot:owner', value: 'the-owner' },
      { key: 'cdk-redshift-serverless-snapshot:created-by-request', value: 'the-request' },
    ]);
    expect(isTakenBy(new Map([['cdk-redshift-serverless-snapshot:created-by-request', 'r1']]), 'r1')).toBe(true);
    expect(isTakenBy(new Map([['cdk-redshift-serverless-snapshot:created-by-request', 'r1']]), 'r2')).toBe(false);
  });
  test('isOwnedBy compares the owner tag exactly', () => {
    expect(isOwnedBy(new Map([[OWNER_KEY, 'a']]), 'a')).toBe(true);
    expect(isOwnedBy(new Map([[OWNER_KEY, 'a-b']]), 'a')).toBe(false);
    expect(isOwnedBy(new Map(), 'a')).toBe(false);
  });
});

describe('error classification', () => {
  test('by name, not by HTTP status', () => {
    expect(isNotFound(serviceError('ResourceNotFoundException'))).toBe(true);
    expect(isConflict(serviceError('ConflictException'))).toBe(true);
    expect(isTransient(serviceError('ThrottlingException'))).toBe(true);
    expect(isTransient(serviceError('ValidationException'))).toBe(false);
    expect(isTransient(serviceError('ConflictException'))).toBe(false);
    expect(isTransient(Object.assign(new Error('x'), { name: 'Unknown', $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isTransient('a string')).toBe(false);
  });

  // The names the SDK gives throttling, server faults and timed-out requests across AWS services:
  // each is retried (and waited out in isComplete) instead of failing the deploy.
  test.each([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'InternalServerException',
    'InternalFailure',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'RequestTimeout',
    'RequestTimeoutException',
    'TimeoutError',
  ])('an error named %s is transient, whatever its HTTP status', (name) => {
    expect(isTransient(serviceError(name))).toBe(true);
  });

  // The codes Node gives a connection that was dropped, refused, broken, timed out or not resolved.
  test.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'])('a network error with code %s is transient', (code) => {
    expect(isTransient(Object.assign(new Error(`connect ${code}`), { code }))).toBe(true);
  });

  test('any HTTP 5xx is transient; a 4xx under an unknown name is not', () => {
    const withStatus = (httpStatusCode: number) => Object.assign(new Error('x'), { name: 'UnknownError', $metadata: { httpStatusCode } });
    expect(isTransient(withStatus(500))).toBe(true);
    expect(isTransient(withStatus(599))).toBe(true);
    expect(isTransient(withStatus(499))).toBe(false);
    expect(isTransient(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe(false);
    expect(isTransient(Object.assign(new Error('x'), { name: 'UnknownError' }))).toBe(false);
  });

  test('an error without a name is named "Error", and its message is its text', () => {
    expect(errorName({})).toBe('Error');
    expect(errorName(serviceError('ConflictException'))).toBe('ConflictException');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(null)).toBe('null');
  });
});

describe('a rollback, as the stack status tells it', () => {
  test.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'IMPORT_ROLLBACK_IN_PROGRESS'])('%s is a rollback', (status) => {
    expect(isRollingBack(status)).toBe(true);
  });
  test.each([
    'UPDATE_IN_PROGRESS',
    'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    'UPDATE_ROLLBACK_COMPLETE',
    'UPDATE_ROLLBACK_FAILED',
    'CREATE_IN_PROGRESS',
  ])('%s is not', (status) => {
    expect(isRollingBack(status)).toBe(false);
  });
  test('a stack that cannot be found is not rolling back', () => {
    expect(isRollingBack(undefined)).toBe(false);
  });
});

describe("the handler's own tags count toward the service's 200", () => {
  const tags = (count: number) => Array.from({ length: count }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  test("a new snapshot takes at most 198 of the user's, and the message says why", () => {
    expect(() => parseProperties(properties({ Tags: tags(198) }))).not.toThrow();
    expect(() => parseProperties(properties({ Tags: tags(199) }))).toThrow(
      'Invalid tags "199 tags": a snapshot can have at most 200 tags, and the handler adds 2 of its own (owner and creating request) to recognise its snapshots, so at most 198 may be given',
    );
  });
  test('an in-place change to an existing snapshot leaves the count to the service', () => {
    expect(() => parseProperties(properties({ Tags: tags(199) }), { forNewSnapshot: false })).not.toThrow();
    expect(() => parseProperties(properties({ Tags: tags(201) }), { forNewSnapshot: false })).toThrow(
      'a snapshot can have at most 200 tags',
    );
  });
  test("every key under the handler's prefix is reserved", () => {
    expect(() =>
      parseProperties(properties({ Tags: [{ Key: 'cdk-redshift-serverless-snapshot:created-by-request', Value: 'x' }] })),
    ).toThrow('tag keys starting with "cdk-redshift-serverless-snapshot:" are reserved');
  });
});

describe('timeouts and old properties', () => {
  test("the timeout never runs past 59 minutes, the end of CloudFormation's hour less a minute", () => {
    expect(parseProperties(properties({ TimeoutSeconds: '3600' })).timeoutSeconds).toBe(3540);
    expect(parseProperties(properties({ TimeoutSeconds: undefined })).timeoutSeconds).toBe(3540);
    expect(parseProperties(properties({ TimeoutSeconds: '600' })).timeoutSeconds).toBe(600);
    expect(parseProperties(properties({ TimeoutSeconds: '3540' })).timeoutSeconds).toBe(3540);
  });
  test('a timeout that is zero, negative or not a number waits the longest allowed, never a deadline already passed', () => {
    for (const TimeoutSeconds of ['0', '-5', 'soon', 'Infinity']) {
      expect(parseProperties(properties({ TimeoutSeconds })).timeoutSeconds).toBe(3540);
    }
    expect(parseProperties(properties({ TimeoutSeconds: '1' })).timeoutSeconds).toBe(1);
  });
  test('a Delete reads its timeout as leniently', () => {
    expect(timeoutSecondsOf({ TimeoutSeconds: '120' })).toBe(120);
    expect(timeoutSecondsOf({ TimeoutSeconds: '0' })).toBe(3540);
    expect(timeoutSecondsOf(undefined)).toBe(3540);
  });
  test('old properties are read without judging them', () => {
    const previous = readPreviousProperties(properties({ RetentionPeriod: '0', NamespaceName: 'X', Tags: 'junk' }));
    expect(previous).toMatchObject({ retentionDays: 0, namespaceName: 'X', tags: [] });
    expect(readPreviousProperties(undefined).snapshotName).toBe('');
  });
});

describe('properties as CloudFormation delivers them (every scalar a string), or as a token left them', () => {
  test('a scalar reads as its text; a list or an object as its JSON; nothing as empty', () => {
    expect(asString('7')).toBe('7');
    expect(asString(7)).toBe('7');
    expect(asString(false)).toBe('false');
    expect(asString(['a'])).toBe('["a"]');
    expect(asString({ a: 1 })).toBe('{"a":1}');
    expect(asString(undefined)).toBe('');
    expect(asString(null)).toBe('');
  });

  test('properties that are missing or not an object read as none', () => {
    expect(asProperties(undefined)).toEqual({});
    expect(asProperties(null)).toEqual({});
    expect(asProperties('text')).toEqual({});
    expect(asProperties({ A: '1' })).toEqual({ A: '1' });
  });

  test('tags that are absent, null or empty text are no tags; anything else but a list is refused', () => {
    for (const raw of [undefined, null, '']) {
      const violations: (RuleViolation | undefined)[] = [];
      expect(parseTags(raw, violations)).toEqual([]);
      expect(violations).toEqual([]);
    }
    const violations: (RuleViolation | undefined)[] = [];
    expect(parseTags('team=data', violations)).toEqual([]);
    expect(violations).toEqual([{ property: 'tags', value: '"team=data"', rule: 'must be a list of {Key, Value} pairs' }]);
  });
});

describe('what a failed create call is', () => {
  test('a failure the retrier wrapped is a refusal to read; anything else (a bug in the handler) is thrown again as it is', () => {
    const refusal = new CallError('CreateSnapshot', 'snapshot "nightly"', new Error('refused'), 1);
    expect(asCallError(refusal)).toBe(refusal);
    const bug = new TypeError("Cannot read properties of undefined (reading 'snapshotName')");
    expect(() => asCallError(bug)).toThrow(bug);
  });
});
