// The connection state of every account, and the account's own reconnect loop: connecting while a first operation
// runs, online after a success, offline (with the time of the next attempt, counted down every second) after a lost
// connection, in error (auth, tls) until the user acts. The back-off is the account's own (each watch has its own,
// accountWatches.ts) and starts over only after the account stayed up for a while (reconnectPolicy.ts). VS Code-free.
import { Emitter, type Event } from '../mail/events';
import type { Logger } from '../mail/logger';
import type { MailError } from '../mail/mailError';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './reconnectPolicy';

export type AccountState = 'idle' | 'connecting' | 'online' | 'offline' | 'error';

export interface AccountStatus {
  state: AccountState;
  error?: MailError;
  /** Offline: when the next attempt to reconnect is made by itself (epoch ms). */
  retryAt?: number;
}

export interface AccountStatusesOptions {
  log: Logger;
  reconnect?: BackoffOptions;
  /** Tries an offline account again (the reconnect loop's attempt). */
  retry(id: string): void;
}

export class AccountStatuses {
  private readonly statuses = new Map<string, AccountStatus>();
  private readonly retries = new Map<string, { timer: NodeJS.Timeout; tick: NodeJS.Timeout }>();
  private readonly backoffs = new Map<string, Backoff>();
  private readonly changed = new Emitter<string>();
  /** An account's state changed, or its retry countdown ticked: its id. */
  readonly onDidChange: Event<string> = this.changed.event;

  constructor(private readonly options: AccountStatusesOptions) {}

  get(id: string): AccountStatus {
    return this.statuses.get(id) ?? { state: 'idle' };
  }

  /** Only a first attempt shows "connecting"; an account in error keeps saying why until it works again. */
  connecting(id: string): void {
    if (this.get(id).state === 'idle') this.set(id, { state: 'connecting' });
  }

  /** Up (again); the delays start over only once it stayed up for a while. */
  online(id: string): void {
    this.cancelRetry(id);
    this.backoffOf(id).connected();
    this.set(id, { state: 'online' });
  }

  failed(id: string, error: MailError): void {
    this.set(id, { state: 'error', error });
  }

  /** Offline: try again by itself after the back-off, counting down in the account's description. */
  offline(id: string, error: MailError): void {
    if (this.retries.has(id)) return;
    const delay = this.backoffOf(id).next();
    this.set(id, { state: 'offline', error, retryAt: Date.now() + delay });
    this.options.log.info(`[${id}] offline (${error.message}); retrying in ${Math.round(delay / 1000)} s`);
    const timer = setTimeout(() => {
      this.cancelRetry(id);
      this.options.retry(id);
    }, delay);
    const tick = setInterval(() => this.changed.fire(id), 1_000);
    timer.unref?.();
    tick.unref?.();
    this.retries.set(id, { timer, tick });
  }

  /** The account's backend went (removed, changed, reset): it starts from idle, with a fresh back-off. */
  forget(id: string): void {
    this.cancelRetry(id);
    this.backoffs.delete(id);
    this.statuses.delete(id);
    this.changed.fire(id);
  }

  dispose(): void {
    for (const id of [...this.retries.keys()]) this.cancelRetry(id);
    this.changed.dispose();
  }

  private backoffOf(id: string): Backoff {
    const backoff = this.backoffs.get(id) ?? new Backoff(this.options.reconnect ?? DEFAULT_BACKOFF);
    this.backoffs.set(id, backoff);
    return backoff;
  }

  private cancelRetry(id: string): void {
    const retry = this.retries.get(id);
    if (!retry) return;
    clearTimeout(retry.timer);
    clearInterval(retry.tick);
    this.retries.delete(id);
  }

  private set(id: string, status: AccountStatus): void {
    const previous = this.statuses.get(id);
    this.statuses.set(id, status);
    if (previous?.state !== status.state || previous?.error?.message !== status.error?.message) this.changed.fire(id);
  }
}
