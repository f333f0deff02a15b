// What each account watches for news, each watch supervised on its own (supervisedWatch.ts): the Inbox of every
// online account, the one other folder the user is looking at (a connection of its own, like the Inbox's), so
// its list stays current without a refresh, and every folder's counts where the server can report them on one
// connection (IMAP NOTIFY), which then stands in for the folder on show. At most three connections per account
// and window besides the working one, two where NOTIFY works. VS Code-free.
import { COUNTS_FOLDER, type FolderChange, type MailBackend } from '../mail/mailBackend';
import type { MailError } from '../mail/mailError';
import { taggedLogger, type Logger } from '../mail/logger';
import type { FolderPath } from '../mail/types';
import type { BackoffOptions } from './reconnectPolicy';
import { SupervisedWatch, type SupervisedWatchOptions } from './supervisedWatch';

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
  /** Every folder's counts on one connection (MailBackend.watchCounts), where the server offers it. */
  private readonly counts = new Map<string, SupervisedWatch>();

  constructor(private readonly options: AccountWatchesOptions) {}

  /** Once an account is online, its Inbox is watched (IMAP IDLE; another window's changes to a shared store). */
  watchInbox(id: string, backend: MailBackend): void {
    if (!backend.capabilities.watch || this.inboxes.has(id)) return;
    const watch = this.supervise(id, backend, 'INBOX');
    this.inboxes.set(id, watch);
    watch.start();
    if (backend.watchCounts && !this.counts.has(id)) {
      const counts = this.supervise(id, backend, COUNTS_FOLDER, (onChange, onLost) =>
        backend.watchCounts!(onChange, onLost),
      );
      this.counts.set(id, counts);
      counts.start();
    }
  }

  /** Whether every folder's counts are reported as they change (else they are polled). */
  countsLive(id: string): boolean {
    return this.counts.get(id)?.live ?? false;
  }

  /** Whether a folder has a watch of its own (its new mail is taken from there). */
  watches(id: string, folder: FolderPath): boolean {
    return [this.inboxes.get(id), this.viewed.get(id)].some((watch) => watch?.folder === folder && watch.live);
  }

  watchFolder(id: string, backend: MailBackend, folder: FolderPath): void {
    if (!backend.capabilities.watch || backend.localStore || folder.toUpperCase() === 'INBOX') return;
    // Where every folder's changes come on the NOTIFY connection, the folder on show needs no IDLE of its own:
    // each window keeps to three connections (working, Inbox, NOTIFY), within Dovecot's default of ten per user
    // and address with three windows open.
    if (this.countsLive(id)) return;
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
    this.counts.get(id)?.resume();
  }

  /** The account's backend goes (removed, changed, reset): so do its watches. */
  drop(id: string): void {
    this.inboxes.get(id)?.dispose();
    this.inboxes.delete(id);
    this.viewed.get(id)?.dispose();
    this.viewed.delete(id);
    this.counts.get(id)?.dispose();
    this.counts.delete(id);
  }

  dispose(): void {
    for (const id of new Set([...this.inboxes.keys(), ...this.viewed.keys(), ...this.counts.keys()])) this.drop(id);
  }

  private supervise(
    id: string,
    backend: MailBackend,
    folder: FolderPath,
    open: SupervisedWatchOptions['open'] = (onChange, onLost) => backend.watch(folder, onChange, onLost),
  ): SupervisedWatch {
    return new SupervisedWatch(folder, {
      open,
      name: folder === COUNTS_FOLDER ? 'every folder (NOTIFY)' : undefined,
      onChange: (change) => this.options.onChange(id, change),
      onTrouble: (error) => this.options.onTrouble(id, error),
      accountOffline: () => this.options.isOffline(id),
      backoff: this.options.backoff,
      log: taggedLogger(this.options.log, id),
    });
  }
}
