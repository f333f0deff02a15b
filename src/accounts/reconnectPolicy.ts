// The one reconnect policy: after a lost connection, try again by itself, soon at first and then less often
// (about 1 s growing to 60 s), with jitter so that many windows (or many clients after a server restart) do not
// all come back in the same second. Each supervised connection (an account's, each watch's) has a Backoff of its
// own, and it starts again from the first delay only after its connection stayed up for `stableMs`: a connection
// that a firewall cuts a second after it opens is retried less and less often, never in a storm. VS Code-free.

export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
  /** ±this fraction of each delay is random. */
  jitter: number;
  /** How long a connection must stay up before its next loss counts as a first one again. */
  stableMs?: number;
  random?: () => number;
  now?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { firstMs: 1_000, maxMs: 60_000, jitter: 0.2, stableMs: 60_000 };

export class Backoff {
  private attempt = 0;
  /** When the connection last came up, while it is up. */
  private upSince: number | undefined;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The connection is up (again). Does not reset the delays: only staying up does. */
  connected(): void {
    this.upSince ??= this.now();
  }

  /** The delay before the next attempt: each call doubles it, up to the maximum, unless the connection was stable. */
  next(): number {
    if (this.upSince !== undefined && this.now() - this.upSince >= (this.options.stableMs ?? DEFAULT_BACKOFF.stableMs!))
      this.attempt = 0;
    this.upSince = undefined;
    const base = Math.min(this.options.maxMs, this.options.firstMs * 2 ** this.attempt);
    this.attempt++;
    const spread = (this.options.random ?? Math.random)() * 2 - 1;
    return Math.max(0, Math.round(base * (1 + spread * this.options.jitter)));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
