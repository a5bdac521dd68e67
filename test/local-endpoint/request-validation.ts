/*
 * The published request constraints, enforced as the service does before any operation runs:
 * required members, string lengths and patterns, list sizes, numeric ranges, enum values, a
 * union's exactly-one member, and each member's JSON type as the AWS JSON 1.1 protocol sends it
 * (timestamps as epoch seconds). The constraints are data (published-constraints.json, written by
 * scripts/service-constraints.mjs from the service model the SDKs are generated from); this file
 * only reads them.
 *
 * Messages follow the service's style: "1 validation error detected: Value 'x' at 'path' failed
 * to satisfy constraint: Member must ...", paths as `targetAction.createSnapshot.tags.1.member.key`.
 * A member of the wrong JSON type is a SerializationException, as AWS JSON services answer it.
 * Members the model does not list are ignored, as the service does.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { ServiceError } from './model';

export interface Shape {
  readonly type: 'structure' | 'list' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp';
  readonly required?: readonly string[];
  readonly union?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly members?: Readonly<Record<string, string>>;
  readonly member?: string;
}

export const PUBLISHED = JSON.parse(readFileSync(join(__dirname, 'published-constraints.json'), 'utf8')) as {
  readonly source: string;
  readonly operations: Readonly<Record<string, string>>;
  readonly shapes: Readonly<Record<string, Shape>>;
};

const JSON_TYPE: Record<Shape['type'], (value: unknown) => boolean> = {
  structure: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  list: (value) => Array.isArray(value),
  string: (value) => typeof value === 'string',
  integer: (value) => Number.isInteger(value),
  long: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean',
  timestamp: (value) => typeof value === 'number' && Number.isFinite(value),
};

/** Refuses a request that breaks a published constraint of `operation`; an operation the data does not list is not checked. */
export function checkRequest(operation: string, input: Record<string, unknown>): void {
  const shapeName = PUBLISHED.operations[operation];
  if (shapeName === undefined) return;
  const wrongType: string[] = [];
  const violations: string[] = [];
  check(shapeName, input, '', violations, wrongType);
  if (wrongType.length > 0) throw new ServiceError('SerializationException', wrongType[0]);
  if (violations.length > 0) {
    const count = violations.length === 1 ? '1 validation error detected' : `${violations.length} validation errors detected`;
    throw new ServiceError('ValidationException', `${count}: ${violations.join('; ')}`);
  }
}

function check(shapeName: string, value: unknown, path: string, violations: string[], wrongType: string[]): void {
  const shape = PUBLISHED.shapes[shapeName];
  if (!JSON_TYPE[shape.type](value)) {
    wrongType.push(
      `Unexpected value at '${path}': expected ${shape.type === 'timestamp' ? 'a timestamp in epoch seconds' : `a ${shape.type}`}`,
    );
    return;
  }
  const fail = (constraint: string) =>
    violations.push(`Value ${shown(value)} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  switch (shape.type) {
    case 'structure': {
      const fields = value as Record<string, unknown>;
      const at = (member: string) => (path === '' ? member : `${path}.${member}`);
      for (const member of shape.required ?? []) {
        if (fields[member] === undefined || fields[member] === null) {
          violations.push(`Value null at '${at(member)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      const present = Object.keys(shape.members ?? {}).filter((member) => fields[member] !== undefined && fields[member] !== null);
      if (shape.union && present.length !== 1) fail(`have exactly one of ${Object.keys(shape.members ?? {}).join(', ')} set`);
      for (const member of present) check((shape.members ?? {})[member], fields[member], at(member), violations, wrongType);
      return;
    }
    case 'list': {
      const items = value as unknown[];
      checkLength(items.length, shape, fail);
      items.forEach((item, index) => check(shape.member ?? '', item, `${path}.${index + 1}.member`, violations, wrongType));
      return;
    }
    case 'string': {
      const text = value as string;
      checkLength(text.length, shape, fail);
      if (shape.pattern !== undefined && !new RegExp(shape.pattern, 'u').test(text))
        fail(`satisfy regular expression pattern: ${shape.pattern}`);
      if (shape.enum !== undefined && !shape.enum.includes(text)) fail(`satisfy enum value set: [${shape.enum.join(', ')}]`);
      return;
    }
    case 'integer':
    case 'long': {
      const number = value as number;
      if (shape.min !== undefined && number < shape.min) fail(`have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && number > shape.max) fail(`have value less than or equal to ${shape.max}`);
      return;
    }
    default:
      return;
  }
}

function checkLength(length: number, shape: Shape, fail: (constraint: string) => void): void {
  if (shape.min !== undefined && length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) fail(`have length less than or equal to ${shape.max}`);
}

/** A value as the service quotes it in a message, long ones cut. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.length > 100 ? `${text.slice(0, 100)}...` : text}'`;
}
