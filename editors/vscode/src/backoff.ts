// When to restart a crashed server: after a delay that doubles with each
// crash in a row (1 s, 2 s, 4 s ... capped), and not at all after too many
// crashes in a short window, so a server that dies on start does not spin.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Crashes allowed within `windowMs` before giving up. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30000, maxCrashes: 5, windowMs: 180000 };

export type Decision = { restartAfterMs: number } | { giveUp: string };

export class Backoff {
  private crashes: number[] = [];

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash and decides what to do about it. */
  crashed(): Decision {
    const now = this.now();
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    const count = this.crashes.length;
    if (count > this.options.maxCrashes) {
      const minutes = Math.round(this.options.windowMs / 60000);
      return { giveUp: `the server crashed ${count} times in ${minutes} minutes; not restarting it` };
    }
    const delay = this.options.initialMs * 2 ** (count - 1);
    return { restartAfterMs: Math.min(delay, this.options.maxMs) };
  }

  /** Forgets past crashes (after a manual restart). */
  reset(): void {
    this.crashes = [];
  }
}
