// The registry of accounts: one live backend per configured account (built on first use, closed before its successor
// opens), and what runs on it. A backend reconnects on demand at the next operation; what a failure means for the
// account is the status machine's (accountStatuses.ts), and what each account watches is supervised in
// accountWatches.ts. VS Code-free, so the core can be tested against a real server or a fake backend.
import type { SyncProgress, SyncReport } from '../mail/localStore';
import type { FolderChange, MailBackend, MailCache } from '../mail/mailBackend';
import { MailError, asMailError } from '../mail/mailError';
import { Emitter, type Event } from '../mail/events';
import type { AccessTokens } from '../mail/accessTokens';
import type { Logger } from '../mail/logger';
import type { AccountConfig } from './accountConfig';
import { AccountWatches } from './accountWatches';
import type { BackendFactory } from './backendFactory';
import { AccountStatuses, type AccountStatus } from './accountStatuses';
import { DEFAULT_BACKOFF, type BackoffOptions } from './reconnectPolicy';
import type { PasswordLookup } from './passwordVault';

export type { AccountState, AccountStatus } from './accountStatuses';

export interface PasswordSource {
  /** The stored password, if one was entered for exactly this account's host, port and user. */
  lookup(account: AccountConfig): Promise<PasswordLookup>;
}

export interface AccountSessionsOptions {
  passwords: PasswordSource;
  log: Logger;
  /** Builds the backend for an account (mailBackendFactory in the extension, a fake in unit tests). */
  createBackend: BackendFactory;
  reconnect?: BackoffOptions;
  /** The OAuth2 tokens of an account that signs in that way (oauthAccounts.ts); undefined for a password. */
  tokens?(account: AccountConfig): AccessTokens | undefined;
}

/** What the server pushed about a watched folder (IMAP IDLE), or another window changed (a shared store). */
export interface MailChange {
  account: string;
  change: FolderChange;
}

/** Failures of the connection itself; anything else (a message that is gone or cannot be parsed) is the message's. */
const CONNECTION_KINDS = new Set(['auth', 'tls', 'network']);

export class AccountSessions {
  private configs = new Map<string, AccountConfig>();
  private readonly backends = new Map<string, MailBackend>();
  /** Backends still saying goodbye: a new backend for the same account waits, so two never share a store. */
  private readonly closing = new Map<string, Promise<void>>();
  private readonly statuses: AccountStatuses;
  /** Accounts whose server is being checked after a watch lost its connection. */
  private readonly probing = new Set<string>();
  private readonly watching: AccountWatches;
  private readonly mailChanged = new Emitter<MailChange>();
  private readonly reconnectedEmitter = new Emitter<string>();
  /** An account's connection state changed (or its retry countdown ticked): its id. */
  readonly onDidChangeStatus: Event<string>;
  /** Mail changed in a watched folder. Folders are watched only while someone listens. */
  readonly onDidChangeMail: Event<MailChange> = this.mailChanged.event;
  /** An account that was offline is back by itself: what was shown may be stale. */
  readonly onDidReconnect: Event<string> = this.reconnectedEmitter.event;

  constructor(private readonly options: AccountSessionsOptions) {
    this.statuses = new AccountStatuses({
      log: options.log,
      reconnect: options.reconnect,
      // The reconnect loop's attempt: a download for a local store, a login otherwise.
      retry: (id) =>
        void this.tracked<unknown>(id, (backend) =>
          backend.localStore ? backend.localStore.sync() : backend.connect(),
        ).catch(() => undefined),
    });
    this.onDidChangeStatus = this.statuses.onDidChange;
    this.watching = new AccountWatches({
      onChange: (account, change) => this.mailChanged.fire({ account, change }),
      onTrouble: (id) => this.probe(id),
      isOffline: (id) => this.statuses.get(id).state === 'offline',
      backoff: options.reconnect ?? DEFAULT_BACKOFF,
      log: options.log,
    });
  }

  /** Applies a new account list; backends of removed or changed accounts are closed (LOGOUT) and rebuilt later. */
  update(accounts: AccountConfig[]): void {
    const next = new Map(accounts.map((account) => [account.id, account]));
    for (const [id, old] of this.configs) {
      const now = next.get(id);
      if (!now || JSON.stringify(now) !== JSON.stringify(old)) this.drop(id);
    }
    this.configs = next;
  }

  accounts(): AccountConfig[] {
    return [...this.configs.values()];
  }

  account(id: string): AccountConfig | undefined {
    return this.configs.get(id);
  }

  status(id: string): AccountStatus {
    return this.statuses.get(id);
  }

  /** The account's backend, created on first use. */
  backend(id: string): MailBackend {
    const existing = this.backends.get(id);
    if (existing) return existing;
    const account = this.configs.get(id);
    if (!account) throw new MailError('notFound', `there is no account "${id}" any more`);
    const backend = this.create(account);
    this.backends.set(id, backend);
    return backend;
  }

  /** What the account's backend remembers of the server, if it keeps a cache. */
  cacheOf(id: string): MailCache | undefined {
    return this.configs.has(id) ? this.backend(id).cache : undefined;
  }

  /** Whether the account's mail is downloaded into a store on this computer (and so is synced, not watched). */
  hasLocalStore(id: string): boolean {
    return this.configs.has(id) && this.backend(id).localStore !== undefined;
  }

  /**
   * Runs one operation. Operations of a server backend talk to the server, so they keep the status true:
   * connecting while the first one runs, online after a success, offline or error after a failure (rethrown for
   * the caller to show). Operations on a local store say nothing about the server.
   */
  async run<T>(id: string, work: (backend: MailBackend) => Promise<T>): Promise<T> {
    await this.closing.get(id);
    return this.backend(id).localStore ? work(this.backend(id)) : this.tracked(id, work);
  }

  /** Accounts with a local store: download new mail and apply the server-copy policy. */
  async sync(id: string, onProgress?: (progress: SyncProgress) => void): Promise<SyncReport> {
    await this.closing.get(id);
    return this.tracked(id, (backend) => {
      if (!backend.localStore)
        throw new MailError('unsupported', 'this account keeps its mail on the server; there is nothing to download');
      return backend.localStore.sync(onProgress);
    });
  }

  /**
   * Forgets an account that was removed: closes its backend (LOGOUT/QUIT) and, if asked, deletes the mail it
   * downloaded to this computer once nothing uses it any more.
   */
  async remove(account: AccountConfig, options: { deleteLocalData: boolean }): Promise<void> {
    const backend = this.backends.get(account.id) ?? this.create(account, async () => '');
    this.drop(account.id);
    await this.closing.get(account.id);
    if (options.deleteLocalData) await backend.localStore?.deleteLocalData();
    // A cache is not the user's mail: it always goes with the account.
    await backend.cache
      ?.clear()
      .catch((error: Error) => this.options.log.warn(`clearing the cache of ${account.id}: ${error.message}`));
  }

  /** Forgets a failure (after the user fixed the password, say) so the next operation tries afresh. */
  reset(id: string): void {
    this.drop(id);
  }

  /** Closes every backend (LOGOUT/QUIT) and waits for them: deactivate awaits this. Safe to call twice. */
  async dispose(): Promise<void> {
    // No reconnect may start while the backends say goodbye.
    this.statuses.dispose();
    this.watching.dispose();
    const backends = [...this.backends.values()];
    this.backends.clear();
    await Promise.allSettled([...backends.map((backend) => backend.close()), ...this.closing.values()]);
    for (const emitter of [this.mailChanged, this.reconnectedEmitter]) emitter.dispose();
  }

  private async tracked<T>(id: string, work: (backend: MailBackend) => Promise<T>): Promise<T> {
    const backend = this.backend(id);
    this.statuses.connecting(id);
    try {
      const result = await work(backend);
      this.online(id, backend);
      return result;
    } catch (error) {
      const failure = asMailError(error, `working with ${this.configs.get(id)?.label ?? id}`);
      if (this.backends.get(id) !== backend) throw failure;
      if (!CONNECTION_KINDS.has(failure.kind)) {
        // The server answered: the account is fine, only this message or folder is not. The caller shows why.
        this.online(id, backend);
      } else if (failure.kind === 'network') {
        this.statuses.offline(id, failure);
      } else {
        this.statuses.failed(id, failure);
      }
      throw failure;
    }
  }

  private online(id: string, backend: MailBackend): void {
    const wasOffline = this.status(id).state === 'offline';
    // Answered from a cache while the server is away: still offline, and the reconnect loop keeps going.
    if (wasOffline && backend.isConnected && !backend.isConnected()) return;
    this.statuses.online(id);
    if (this.mailChanged.listening) this.watching.watchInbox(id, backend);
    if (wasOffline) {
      // The watches that went with the connection come back now, not after their own back-off.
      this.watching.resume(id);
      this.reconnectedEmitter.fire(id);
    }
  }

  /**
   * A watch lost its connection (or could not make one). The watch comes back by itself; whether the account is
   * offline is decided by one round trip on its working connection, so a watch that a proxy keeps cutting never
   * flips a healthy account offline and online, and a server that is really gone shows offline at once.
   */
  private probe(id: string): void {
    const backend = this.backends.get(id);
    if (!backend || this.probing.has(id) || this.status(id).state === 'offline') return;
    this.probing.add(id);
    void this.tracked(id, (current) => (current.ping ? current.ping() : current.connect()))
      .catch(() => undefined)
      .finally(() => this.probing.delete(id));
  }

  /**
   * Watches the folder the user is looking at too (a connection of its own, like the Inbox's), so its list stays
   * current without a refresh. One such folder per account: watching another ends the previous watch.
   */
  watchFolder(id: string, folder: string): void {
    const backend = this.backends.get(id);
    if (backend && this.mailChanged.listening) this.watching.watchFolder(id, backend, folder);
  }

  /** Whether every folder's counts of the account are reported as they change (IMAP NOTIFY); else they are polled. */
  countsLive(id: string): boolean {
    return this.watching.countsLive(id);
  }

  /** Whether a folder has a watch of its own (the Inbox, the folder on show): its new mail comes from there. */
  watches(id: string, folder: string): boolean {
    return this.watching.watches(id, folder);
  }

  private drop(id: string): void {
    this.watching.drop(id);
    const backend = this.backends.get(id);
    this.backends.delete(id);
    if (backend) {
      const closed = backend
        .close()
        .catch((error: unknown) => this.options.log.warn(`closing account ${id}: ${String(error)}`));
      const previous = this.closing.get(id) ?? Promise.resolve();
      const both = Promise.all([previous, closed]).then(() => undefined);
      this.closing.set(id, both);
      void both.then(() => {
        if (this.closing.get(id) === both) this.closing.delete(id);
      });
    }
    this.statuses.forget(id);
  }

  /** Connects and logs in once with a password that is not stored yet: the add-account flow's test. */
  async verify(account: AccountConfig, password: string): Promise<void> {
    const backend = this.create(account, async () => password);
    try {
      await backend.connect();
    } finally {
      await backend.close().catch(() => undefined);
    }
  }

  private create(account: AccountConfig, given?: () => Promise<string>): MailBackend {
    const password =
      given ??
      (async () => {
        const stored = await this.options.passwords.lookup(account);
        if (stored.state === 'ok') return stored.password;
        if (stored.state === 'missing')
          throw new MailError('auth', `no password is stored for ${account.label}; enter it to connect`);
        const was = stored.boundTo;
        throw new MailError(
          'auth',
          `the stored password of ${account.label} was entered for ${was.user} at ${was.host}:${was.port}, and the account now points to ${account.user} at ${account.host}:${account.port}; Letterbox does not send it there. Enter the password for the new server to connect`,
        );
      });
    return this.options.createBackend(account, password, this.options.tokens?.(account));
  }
}
