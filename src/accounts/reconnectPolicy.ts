// The one reconnect policy: after a lost connection, try again by itself, soon at first and then less often
// (about 1 s growing to 60 s), with jitter so that many windows (or many clients after a server restart) do not
// all come back in the same second. VS Code-free.

export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
  /** ±this fraction of each delay is random. */
  jitter: number;
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { firstMs: 1_000, maxMs: 60_000, jitter: 0.2 };

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The delay before the next attempt; each call doubles it, up to the maximum. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.firstMs * 2 ** this.attempt);
    this.attempt++;
    const spread = (this.options.random ?? Math.random)() * 2 - 1;
    return Math.max(0, Math.round(base * (1 + spread * this.options.jitter)));
  }

  reset(): void {
    this.attempt = 0;
  }
}
