// One writer at a time for an account's store, across every process: each VS Code window runs its own extension
// host and all of them share global storage. A lock directory (proper-lockfile: atomic mkdir, its mtime refreshed
// while held, taken over once stale) works on every platform and file system VS Code runs on, without a native
// module. Within one process, holders queue here first, since the lock directory cannot tell two holders of the
// same process apart.
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { MailError } from '../mail/mailError';

/** A holder that stops refreshing the lock (a crash, a suspended laptop) loses it after this long. */
const STALE_MS = 20_000;

export class StoreLock {
  private queue: Promise<unknown> = Promise.resolve();
  private lost: Error | undefined;

  constructor(private readonly root: string) {}

  /**
   * Runs `work` holding the lock, waiting up to `waitMs` for another holder to finish. `stillHeld` lets long work
   * check, before an irreversible step, that the lock was not taken over meanwhile.
   */
  run<T>(waitMs: number, work: (stillHeld: () => void) => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => undefined).then(() => this.holding(waitMs, work));
    this.queue = next;
    return next;
  }

  private async holding<T>(waitMs: number, work: (stillHeld: () => void) => Promise<T>): Promise<T> {
    this.lost = undefined;
    let release: () => Promise<void>;
    try {
      release = await lock(this.root, {
        realpath: false,
        lockfilePath: join(this.root, 'lock'),
        stale: STALE_MS,
        retries: { retries: Math.max(0, Math.ceil(waitMs / 250)), factor: 1, minTimeout: 250, maxTimeout: 250 },
        onCompromised: (error) => {
          this.lost = error;
        },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
        throw new MailError(
          'storage',
          `another VS Code window is working on this account's downloaded mail (${this.root}); try again when it is done`,
          { cause: error },
        );
      }
      throw new MailError('storage', `cannot lock the local mail store ${this.root}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const stillHeld = () => {
      if (this.lost)
        throw new MailError(
          'storage',
          `the lock on the local mail store ${this.root} was lost (${this.lost.message}); nothing more is changed in this run`,
        );
    };
    try {
      return await work(stillHeld);
    } finally {
      if (!this.lost) await release().catch(() => undefined);
    }
  }
}
