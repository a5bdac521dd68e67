/*
 * Faults a test can inject into the local endpoint: throttling, server errors, or no answer at
 * all, for the next N calls of an operation (or of each operation) or for a share of all calls. The share is drawn
 * from a seeded generator, so a run is repeatable.
 */
import { ServiceError } from './model';

const ANY = '*';

interface CountedFault {
  readonly operation: string;
  readonly error: () => ServiceError;
  readonly count: number;
  readonly used: Map<string, number>;
}

interface SharedFault {
  readonly operation: string;
  readonly error: () => ServiceError;
  readonly share: number;
}

export const throttling = () => new ServiceError('ThrottlingException', 'Rate exceeded', 400);
export const internalError = () => new ServiceError('InternalServerException', 'Internal server error', 500);

export class FaultPlan {
  private counted: CountedFault[] = [];
  private hung: { operation: string; count: number; used: number; fault: 'hang' | 'lose-answer' }[] = [];
  private shared: SharedFault[] = [];
  private seed = 42;

  /** The next `count` calls of `operation` are throttled; with '*', of each operation. */
  throttleNext(operation: string, count: number): this {
    return this.failNext(operation, count, throttling);
  }

  /** The next `count` calls of `operation` (or of each operation, with '*') fail with `error`. */
  failNext(operation: string, count: number, error: () => ServiceError = internalError): this {
    this.counted.push({ operation, error, count, used: new Map() });
    return this;
  }

  /** About `share` (0-1) of the calls of `operation` (or of all, with '*') fail with `error`. */
  failShare(operation: string, share: number, error: () => ServiceError = throttling): this {
    this.shared.push({ operation, error, share });
    return this;
  }

  /** The next `count` calls of `operation` get no answer: the connection stays open, silent. */
  hangNext(operation: string, count: number): this {
    this.hung.push({ operation, count, used: 0, fault: 'hang' });
    return this;
  }

  /** The next `count` calls of `operation` are carried out, then their connection is dropped unanswered. */
  loseAnswerOfNext(operation: string, count: number): this {
    this.hung.push({ operation, count, used: 0, fault: 'lose-answer' });
    return this;
  }

  clear(): void {
    this.hung = [];
    this.counted = [];
    this.shared = [];
  }

  /**
   * Throws the injected fault for this call, if there is one; 'hang' when the call gets no answer,
   * 'lose-answer' when it is carried out and its answer lost.
   */
  beforeCall(operation: string): 'hang' | 'lose-answer' | undefined {
    for (const fault of this.hung) {
      if ((fault.operation === ANY || fault.operation === operation) && fault.used < fault.count) {
        fault.used += 1;
        return fault.fault;
      }
    }
    for (const fault of this.counted) {
      if (fault.operation !== ANY && fault.operation !== operation) continue;
      const key = fault.operation === ANY ? operation : ANY;
      const used = fault.used.get(key) ?? 0;
      if (used < fault.count) {
        fault.used.set(key, used + 1);
        throw fault.error();
      }
    }
    for (const fault of this.shared) {
      if ((fault.operation === ANY || fault.operation === operation) && this.random() < fault.share) {
        throw fault.error();
      }
    }
    return undefined;
  }

  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }
}
