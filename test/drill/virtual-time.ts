/*
 * Virtual time for whole drill runs: the endpoint, the handler's clock and the state machines'
 * waits all read it, and it moves only when every execution in progress is waiting. Then it jumps
 * to the earliest wake-up. Runs of hours take milliseconds, and overlapping runs interleave in the
 * order their waits end, deterministically.
 */
import { Clock } from '../../lambda/shared/clock';

export class VirtualTime implements Clock {
  private current: number;
  private live = 0;
  private readonly sleepers: { at: number; order: number; wake: () => void }[] = [];
  private order = 0;

  constructor(start: number) {
    this.current = start;
  }

  readonly now = (): number => this.current;

  /** An execution (or any flow that waits) begins; call the result when it ends. */
  enter(): () => void {
    this.live += 1;
    return () => {
      this.live -= 1;
      this.wakeIfAllWait();
    };
  }

  sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ at: this.current + Math.max(0, milliseconds), order: this.order++, wake: resolve });
      this.wakeIfAllWait();
    });
  }

  /** Moves the clock ahead outside any execution (nights pass between runs). */
  advance(milliseconds: number): void {
    this.current += milliseconds;
  }

  private wakeIfAllWait(): void {
    if (this.sleepers.length === 0 || this.sleepers.length < this.live) return;
    this.sleepers.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = this.sleepers.shift()!;
    this.current = Math.max(this.current, next.at);
    next.wake();
  }
}
