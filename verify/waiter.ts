/*
 * Waiting, with progress: the probe's snapshots, restores and deletions take minutes, so every
 * wait says what it waits for and how long it has waited, at most once per progress interval.
 */
export interface WaiterOptions {
  /** Time between checks. */
  readonly pollMs: number;
  /** A wait fails after this long. */
  readonly timeoutMs: number;
  /** Where progress lines go (stderr in the command). */
  readonly progress: (line: string) => void;
  /** Checked on every poll: true ends the wait with an error (Ctrl-C during a probe). */
  readonly stopped?: () => boolean;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const PROGRESS_EVERY_MS = 30_000;

export class Waiter {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: WaiterOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Checks until `check` answers true; fails after the timeout, naming what it waited for. */
  async until(what: string, check: () => Promise<boolean>, timeoutMs = this.options.timeoutMs): Promise<void> {
    const started = this.now();
    let told = started;
    this.options.progress(`waiting until ${what}`);
    while (!(await check())) {
      if (this.options.stopped?.()) throw new Error(`interrupted while waiting until ${what}`);
      const waited = this.now() - started;
      if (waited >= timeoutMs) throw new Error(`Timed out after ${Math.round(waited / 1000)} s waiting until ${what}`);
      if (this.now() - told >= PROGRESS_EVERY_MS) {
        this.options.progress(`  still waiting until ${what} (${Math.round(waited / 1000)} s)`);
        told = this.now();
      }
      await this.sleep(this.options.pollMs);
    }
  }
}
