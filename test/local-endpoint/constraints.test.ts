/*
 * The local endpoint refuses every published request constraint of every operation it serves,
 * one test per constraint, over the wire as the SDK would send it. The cases are derived from the
 * constraint data itself (published-constraints.json), so a constraint added there is tested
 * without a new line here: a valid request is built from each operation's shapes, then broken in
 * exactly one place.
 */
import { request } from 'http';
import { LocalRedshiftServerless } from '.';
import { PUBLISHED, Shape } from './request-validation';

type Path = readonly (string | number)[];
interface Case {
  readonly operation: string;
  readonly description: string;
  /** Where the service's message names the member, e.g. `targetAction.createSnapshot.tags.1.member.key`. */
  readonly member: string;
  readonly error: 'ValidationException' | 'SerializationException';
  readonly breakIt: (input: Record<string, unknown>) => void;
}

const shapeOf = (name: string): Shape => PUBLISHED.shapes[name];

/** A value every constraint of the shape accepts; a union gets its first member, a list one item. */
function validValue(shapeName: string): unknown {
  const shape = shapeOf(shapeName);
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {});
      return Object.fromEntries((shape.union ? members.slice(0, 1) : members).map(([member, target]) => [member, validValue(target)]));
    }
    case 'list':
      return [validValue(shape.member ?? '')];
    case 'string': {
      if (shape.enum) return shape.enum[0];
      const text = 'a'.repeat(Math.min(Math.max(shape.min ?? 0, 8), shape.max ?? 8));
      if (shape.pattern !== undefined && !new RegExp(shape.pattern, 'u').test(text)) {
        throw new Error(`No valid value known for pattern ${shape.pattern} of ${shapeName}: teach validValue one`);
      }
      return text;
    }
    case 'integer':
    case 'long':
      return shape.min ?? 1;
    case 'boolean':
      return true;
    case 'timestamp':
      return 1_767_225_600;
  }
}

function at(input: Record<string, unknown>, path: Path): Record<string | number, unknown> {
  return path.reduce<Record<string | number, unknown>>((parent, key) => parent[key] as Record<string | number, unknown>, input);
}

function setAt(path: Path, value: unknown) {
  return (input: Record<string, unknown>) => {
    at(input, path.slice(0, -1))[path[path.length - 1]] = value;
  };
}

const memberName = (path: Path) => path.map((key) => (typeof key === 'number' ? `${key + 1}.member` : key)).join('.');

/** One case per constraint of the shape at `path`, and of every shape under it. */
function casesOf(operation: string, shapeName: string, path: Path): Case[] {
  const shape = shapeOf(shapeName);
  const member = memberName(path);
  const refuse = (description: string, value: unknown): Case => ({
    operation,
    description: `${member} ${description}`,
    member,
    error: 'ValidationException',
    breakIt: setAt(path, value),
  });
  const cases: Case[] = [];
  switch (shape.type) {
    case 'structure': {
      for (const required of shape.required ?? []) {
        const requiredPath = [...path, required];
        cases.push({
          operation,
          description: `${memberName(requiredPath)} left out`,
          member: memberName(requiredPath),
          error: 'ValidationException',
          breakIt: (input) => delete at(input, path)[required],
        });
      }
      const members = Object.entries(shape.members ?? {});
      if (shape.union && path.length > 0) {
        // A union of one member (TargetAction today) cannot have more than one set.
        if (members.length > 1) {
          cases.push(
            refuse('with every member of the union set', Object.fromEntries(members.map(([m, target]) => [m, validValue(target)]))),
          );
        }
        cases.push(refuse('with no member of the union set', {}));
      }
      for (const [name, target] of shape.union ? members.slice(0, 1) : members) cases.push(...casesOf(operation, target, [...path, name]));
      break;
    }
    case 'list': {
      const item = validValue(shape.member ?? '');
      if (shape.min !== undefined && shape.min > 0) cases.push(refuse(`with ${shape.min - 1} items (at least ${shape.min})`, []));
      if (shape.max !== undefined)
        cases.push(refuse(`with ${shape.max + 1} items (at most ${shape.max})`, Array(shape.max + 1).fill(item)));
      cases.push(...casesOf(operation, shape.member ?? '', [...path, 0]));
      break;
    }
    case 'string':
      if (shape.min !== undefined && shape.min > 0) cases.push(refuse(`shorter than ${shape.min}`, 'a'.repeat(shape.min - 1)));
      if (shape.max !== undefined) cases.push(refuse(`longer than ${shape.max}`, 'a'.repeat(shape.max + 1)));
      if (shape.pattern !== undefined)
        cases.push(refuse(`not matching ${shape.pattern}`, 'NOT_VALID'.slice(0, Math.max(shape.min ?? 0, 9))));
      if (shape.enum !== undefined) cases.push(refuse('outside its enum', 'NOT_A_VALUE'));
      break;
    case 'integer':
    case 'long':
      if (shape.min !== undefined) cases.push(refuse(`below ${shape.min}`, shape.min - 1));
      if (shape.max !== undefined) cases.push(refuse(`above ${shape.max}`, shape.max + 1));
      break;
    case 'timestamp':
      cases.push({
        operation,
        description: `${member} sent as an ISO 8601 text instead of epoch seconds`,
        member,
        error: 'SerializationException',
        breakIt: setAt(path, '2026-01-01T00:00:00Z'),
      });
      break;
    default:
      break;
  }
  return cases;
}

const CASES = Object.entries(PUBLISHED.operations).flatMap(([operation, shapeName]) => casesOf(operation, shapeName, []));

let endpoint: LocalRedshiftServerless;
beforeAll(async () => {
  endpoint = new LocalRedshiftServerless();
  await endpoint.start();
});
afterAll(() => endpoint.stop());

/** Sends one request as the AWS JSON 1.1 protocol does and returns the status and the body. */
function send(operation: string, input: unknown): Promise<{ status: number; body: { __type?: string; message?: string } }> {
  const url = new URL(endpoint.url);
  const text = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const call = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `RedshiftServerless.${operation}`,
          'content-length': Buffer.byteLength(text),
        },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(body) as { __type?: string } }));
      },
    );
    call.on('error', reject);
    call.end(text);
  });
}

test('the constraint data comes from the published service model and covers every operation the endpoint serves', () => {
  expect(PUBLISHED.source).toMatch(/^redshift-serverless-2021-04-21 service model/);
  expect(Object.keys(PUBLISHED.operations).sort()).toEqual(
    expect.arrayContaining(['CreateScheduledAction', 'CreateSnapshot', 'TagResource', 'UpdateScheduledAction', 'UntagResource']),
  );
  // Spot checks against the API reference pages, which say the same as the model.
  expect(shapeOf('ScheduledActionName')).toEqual({ type: 'string', min: 3, max: 60, pattern: '^[a-z0-9-]+$' });
  expect(shapeOf('SnapshotNamePrefix')).toEqual({ type: 'string', min: 1, max: 235 });
  expect(shapeOf('TagList')).toEqual({ type: 'list', min: 0, max: 200, member: 'Tag' });
  expect(shapeOf('Schedule')).toMatchObject({ type: 'structure', union: true });
  expect(CASES.length).toBeGreaterThan(40);
});

test.each(Object.entries(PUBLISHED.operations))(
  'a request of %s that keeps every constraint passes validation',
  async (operation, shapeName) => {
    const { body } = await send(operation, validValue(shapeName));
    expect(['ValidationException', 'SerializationException']).not.toContain(body.__type);
  },
);

test.each(CASES.map((c) => [`${c.operation}: ${c.description}`, c] as const))('%s is refused', async (_, c) => {
  const input = validValue(PUBLISHED.operations[c.operation]) as Record<string, unknown>;
  c.breakIt(input);
  const { status, body } = await send(c.operation, input);
  expect(status).toBe(400);
  expect(body.__type).toBe(c.error);
  expect(body.message).toContain(`'${c.member}'`);
  if (c.error === 'ValidationException')
    expect(body.message).toMatch(/^1 validation error detected: Value .* failed to satisfy constraint: Member must /);
});

test('every broken constraint of one request is reported in one message', async () => {
  const { body } = await send('CreateScheduledAction', { scheduledActionName: 'ab', namespaceName: 'analytics' });
  expect(body).toEqual({
    __type: 'ValidationException',
    message:
      '4 validation errors detected: ' +
      "Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'schedule' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'targetAction' failed to satisfy constraint: Member must not be null; " +
      "Value 'ab' at 'scheduledActionName' failed to satisfy constraint: Member must have length greater than or equal to 3",
  });
});
