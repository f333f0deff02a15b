// One live backend per configured account, its connection state, and the one reconnect policy: a backend
// reconnects on demand at the next operation; a failure marks the account offline (network) or in error (auth,
// tls, ...) until then. VS Code-free, so the tree model can be tested against a real server.
import { join } from 'node:path';
import type { MailBackend, Unsubscribe } from '../mail/mailBackend';
import { MailError, isMailError } from '../mail/mailError';
import type { Logger } from '../mail/logger';
import { ImapBackend } from '../protocols/imap/imapBackend';
import { Pop3Backend } from '../sync/pop3Backend';
import { DEFAULT_POP3_POLICY } from '../sync/pop3Policy';
import type { SyncProgress, SyncReport } from '../sync/pop3Sync';
import type { AccountConfig } from './accountConfig';
import type { PasswordLookup } from './passwordVault';

export type AccountState = 'idle' | 'connecting' | 'online' | 'offline' | 'error';

export interface AccountStatus {
  state: AccountState;
  error?: MailError;
}

export interface PasswordSource {
  /** The stored password, if one was entered for exactly this account's host, port and user. */
  lookup(account: AccountConfig): Promise<PasswordLookup>;
}

export interface AccountSessionsOptions {
  passwords: PasswordSource;
  log: Logger;
  /** Where POP3 accounts keep their local stores (one folder per account id). */
  storageRoot: string;
  onDidChangeStatus?: (accountId: string) => void;
  /** New or vanished mail the server pushed (IMAP IDLE on the Inbox). */
  onDidChangeMail?: (accountId: string, folder: string) => void;
}

export class AccountSessions {
  private configs = new Map<string, AccountConfig>();
  private readonly backends = new Map<string, MailBackend>();
  private readonly statuses = new Map<string, AccountStatus>();
  private readonly watches = new Map<string, Promise<Unsubscribe | undefined>>();

  constructor(private readonly options: AccountSessionsOptions) {}

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
    return this.statuses.get(id) ?? { state: 'idle' };
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

  /**
   * Runs one operation. IMAP operations talk to the server, so they keep the status true: connecting while the
   * first one runs, online after a success, offline or error after a failure (rethrown for the caller to show).
   * POP3 operations other than sync only touch the local store, which says nothing about the server.
   */
  run<T>(id: string, work: (backend: MailBackend) => Promise<T>): Promise<T> {
    return this.configs.get(id)?.protocol === 'pop3' ? work(this.backend(id)) : this.tracked(id, work);
  }

  /** POP3: download new mail and apply the server-copy policy. */
  sync(id: string, onProgress?: (progress: SyncProgress) => void): Promise<SyncReport> {
    return this.tracked(id, (backend) => {
      if (!(backend instanceof Pop3Backend)) throw new MailError('unsupported', 'only POP3 accounts download mail');
      return backend.sync(onProgress);
    });
  }

  /** Forgets a failure (after the user fixed the password, say) so the next operation tries afresh. */
  reset(id: string): void {
    this.drop(id);
  }

  storePath(id: string): string {
    return join(this.options.storageRoot, encodeURIComponent(id));
  }

  async dispose(): Promise<void> {
    for (const watch of this.watches.values()) void watch.then((subscription) => subscription?.dispose());
    this.watches.clear();
    const backends = [...this.backends.values()];
    this.backends.clear();
    await Promise.allSettled(backends.map((backend) => backend.close()));
  }

  private async tracked<T>(id: string, work: (backend: MailBackend) => Promise<T>): Promise<T> {
    const backend = this.backend(id);
    // Only a first attempt shows "connecting"; an account in error keeps saying why until it works again.
    if (this.status(id).state === 'idle') this.setStatus(id, { state: 'connecting' });
    try {
      const result = await work(backend);
      this.setStatus(id, { state: 'online' });
      this.watchInbox(id, backend);
      return result;
    } catch (error) {
      const failure = isMailError(error) ? error : new MailError('protocol', String(error), { cause: error });
      this.setStatus(id, { state: failure.kind === 'network' ? 'offline' : 'error', error: failure });
      throw failure;
    }
  }

  /** Once an IMAP account is online, IDLE on its Inbox tells the tree about new mail without polling. */
  private watchInbox(id: string, backend: MailBackend): void {
    if (!backend.capabilities.watch || this.watches.has(id) || !this.options.onDidChangeMail) return;
    const notify = this.options.onDidChangeMail;
    this.watches.set(id, backend.watch('INBOX', (change) => notify(id, change.folder)).catch((error: unknown) => {
      this.options.log.warn(`cannot watch the Inbox of ${id}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }));
  }

  private drop(id: string): void {
    void this.watches.get(id)?.then((watch) => watch?.dispose());
    this.watches.delete(id);
    const backend = this.backends.get(id);
    this.backends.delete(id);
    this.statuses.delete(id);
    void backend?.close().catch((error: unknown) => this.options.log.warn(`closing account ${id}: ${String(error)}`));
    this.options.onDidChangeStatus?.(id);
  }

  private setStatus(id: string, status: AccountStatus): void {
    const previous = this.statuses.get(id);
    this.statuses.set(id, status);
    if (previous?.state !== status.state || previous?.error?.message !== status.error?.message) this.options.onDidChangeStatus?.(id);
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
    const password = given ?? (async () => {
      const stored = await this.options.passwords.lookup(account);
      if (stored.state === 'ok') return stored.password;
      if (stored.state === 'missing') throw new MailError('auth', `no password is stored for ${account.label}; enter it to connect`);
      const was = stored.boundTo;
      throw new MailError('auth', `the stored password of ${account.label} was entered for ${was.user} at ${was.host}:${was.port}, and the account now points to ${account.user} at ${account.host}:${account.port}; Letterbox does not send it there. Enter the password for the new server to connect`);
    });
    if (account.protocol === 'imap') {
      return new ImapBackend({ account: account.id, server: account, password, log: this.options.log });
    }
    return new Pop3Backend({
      account: account.id,
      server: account,
      password,
      log: this.options.log,
      storeRoot: this.storePath(account.id),
      policy: account.pop3 ?? DEFAULT_POP3_POLICY,
    });
  }
}
