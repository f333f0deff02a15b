// One watched folder (IMAP IDLE on a connection of its own), kept alive by itself: a lost watch comes back after a
// back-off of its own (reconnectPolicy.ts), which grows while the watch keeps dropping and starts over only after
// it stayed up for a while. So a firewall or proxy that cuts long-lived connections, or a server that closes IDLE,
// costs a reconnect a minute at most, not one a second, and never flips the account or reloads the tree: a watch
// that comes back by itself reports only that its folder may have news ('resumed'). VS Code-free.
import type { FolderChange, Unsubscribe } from '../mail/mailBackend';
import { isMailError, type MailError } from '../mail/mailError';
import type { Logger } from '../mail/logger';
import type { FolderPath } from '../mail/types';
import { Backoff, type BackoffOptions } from './reconnectPolicy';

export interface SupervisedWatchOptions {
  /** Opens the watch (MailBackend.watch of the account's current backend). */
  open(onChange: (change: FolderChange) => void, onLost: (error: MailError) => void): Promise<Unsubscribe>;
  onChange(change: FolderChange): void;
  /** The watch's connection was lost or could not be made: the account checks whether the server is still there. */
  onTrouble(error: MailError): void;
  /** While the account is offline a watch waits for it (resume) instead of retrying on its own. */
  accountOffline(): boolean;
  backoff: BackoffOptions;
  log: Logger;
  /** What the log calls the watch; the folder's path unless given ("every folder" for a counts watch). */
  name?: string;
}

/**
 * - waiting: lost, retrying after its back-off; parked: lost while the account is offline, started when it is back;
 * - refused: the server will not watch this folder (no such folder, no permission): not retried by itself.
 */
type WatchState = 'idle' | 'starting' | 'watching' | 'waiting' | 'parked' | 'refused' | 'disposed';

export class SupervisedWatch {
  private state: WatchState = 'idle';
  private subscription: Unsubscribe | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  /** A loss reported before the attempt that opened the connection resolved. */
  private lostWhileStarting: MailError | undefined;
  /** Bumped by every attempt and by dispose, so a late answer of an older attempt is dropped. */
  private generation = 0;

  constructor(
    readonly folder: FolderPath,
    private readonly options: SupervisedWatchOptions,
  ) {
    this.backoff = new Backoff(options.backoff);
  }

  /** Starts the first watch. */
  start(): void {
    if (this.state === 'idle') void this.attempt(false);
  }

  /** Up and reporting right now. */
  get live(): boolean {
    return this.state === 'watching';
  }

  private get name(): string {
    return this.options.name ?? this.folder;
  }

  /**
   * The account is back after being offline: a watch that is not up starts now (the account reloads what it
   * shows, so no 'resumed'). A watch the server refused is tried once more, since the server may have changed.
   */
  resume(): void {
    if (this.state !== 'parked' && this.state !== 'waiting' && this.state !== 'refused') return;
    clearTimeout(this.timer);
    void this.attempt(false);
  }

  dispose(): void {
    this.generation++;
    this.state = 'disposed';
    clearTimeout(this.timer);
    this.subscription?.dispose();
    this.subscription = undefined;
  }

  private async attempt(resumed: boolean): Promise<void> {
    const mine = ++this.generation;
    this.state = 'starting';
    this.lostWhileStarting = undefined;
    let subscription: Unsubscribe;
    try {
      subscription = await this.options.open(
        (change) => {
          if (mine === this.generation) this.options.onChange(change);
        },
        (error) => this.lost(mine, error),
      );
    } catch (error) {
      if (mine !== this.generation) return;
      if (isMailError(error) && error.kind === 'network') {
        this.retryLater(error);
      } else {
        // Only a lost connection is tried again; a server that refuses to watch keeps refusing.
        this.state = 'refused';
        this.options.log.warn(`cannot watch ${this.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    }
    if (mine !== this.generation) {
      subscription.dispose();
      return;
    }
    const lostAlready = this.lostWhileStarting;
    if (lostAlready) {
      // The connection closed as it opened (before open() resolved here): it is a loss, not a live watch.
      this.lostWhileStarting = undefined;
      subscription.dispose();
      this.retryLater(lostAlready);
      return;
    }
    this.subscription = subscription;
    this.state = 'watching';
    this.backoff.connected();
    // Mail may have arrived while the watch was down: the folder is asked for what is new, nothing is reloaded.
    if (resumed) this.options.onChange({ folder: this.folder, kind: 'resumed' });
  }

  private lost(generation: number, error: MailError): void {
    if (generation !== this.generation) return;
    // Lost while still starting: if the attempt then fails, that failure decides; if it succeeds, this loss does.
    if (this.state === 'starting') {
      this.lostWhileStarting = error;
      return;
    }
    if (this.state !== 'watching') return;
    this.subscription = undefined;
    this.retryLater(error);
  }

  private retryLater(error: MailError): void {
    this.options.onTrouble(error);
    if (this.options.accountOffline()) {
      this.state = 'parked';
      return;
    }
    const delay = this.backoff.next();
    this.state = 'waiting';
    this.options.log.info(
      `watching ${this.name} stopped (${error.message}); watching again in ${(delay / 1000).toFixed(1)} s`,
    );
    this.timer = setTimeout(() => {
      if (this.options.accountOffline()) this.state = 'parked';
      else void this.attempt(true);
    }, delay);
    this.timer.unref?.();
  }
}
