// What each account watches for news, each watch supervised on its own (supervisedWatch.ts): the Inbox of every
// online account, and the one other folder the user is looking at (a connection of its own, like the Inbox's), so
// its list stays current without a refresh. VS Code-free.
import type { FolderChange, MailBackend } from '../mail/mailBackend';
import type { MailError } from '../mail/mailError';
import { taggedLogger, type Logger } from '../mail/logger';
import type { FolderPath } from '../mail/types';
import type { BackoffOptions } from './reconnectPolicy';
import { SupervisedWatch } from './supervisedWatch';

export interface AccountWatchesOptions {
  onChange(id: string, change: FolderChange): void;
  /** A watch of the account lost its connection or could not make one. */
  onTrouble(id: string, error: MailError): void;
  isOffline(id: string): boolean;
  backoff: BackoffOptions;
  log: Logger;
}

export class AccountWatches {
  private readonly inboxes = new Map<string, SupervisedWatch>();
  /** The one non-Inbox folder watched per account: watching another ends the previous watch. */
  private readonly viewed = new Map<string, SupervisedWatch>();

  constructor(private readonly options: AccountWatchesOptions) {}

  /** Once an account is online, its Inbox is watched (IMAP IDLE; another window's changes to a shared store). */
  watchInbox(id: string, backend: MailBackend): void {
    if (!backend.capabilities.watch || this.inboxes.has(id)) return;
    const watch = this.supervise(id, backend, 'INBOX');
    this.inboxes.set(id, watch);
    watch.start();
  }

  watchFolder(id: string, backend: MailBackend, folder: FolderPath): void {
    if (!backend.capabilities.watch || backend.localStore || folder.toUpperCase() === 'INBOX') return;
    const current = this.viewed.get(id);
    if (current?.folder === folder) return;
    current?.dispose();
    const watch = this.supervise(id, backend, folder);
    this.viewed.set(id, watch);
    watch.start();
  }

  /** The account is back after being offline: its watches that are down start again now. */
  resume(id: string): void {
    this.inboxes.get(id)?.resume();
    this.viewed.get(id)?.resume();
  }

  /** The account's backend goes (removed, changed, reset): so do its watches. */
  drop(id: string): void {
    this.inboxes.get(id)?.dispose();
    this.inboxes.delete(id);
    this.viewed.get(id)?.dispose();
    this.viewed.delete(id);
  }

  dispose(): void {
    for (const id of new Set([...this.inboxes.keys(), ...this.viewed.keys()])) this.drop(id);
  }

  private supervise(id: string, backend: MailBackend, folder: FolderPath): SupervisedWatch {
    return new SupervisedWatch(folder, {
      open: (onChange, onLost) => backend.watch(folder, onChange, onLost),
      onChange: (change) => this.options.onChange(id, change),
      onTrouble: (error) => this.options.onTrouble(id, error),
      accountOffline: () => this.options.isOffline(id),
      backoff: this.options.backoff,
      log: taggedLogger(this.options.log, id),
    });
  }
}
