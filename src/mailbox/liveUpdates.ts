// How the Mail tree follows what happens elsewhere: changes the server pushes (IDLE), mail that arrived while the
// connection was down, counts of folders nobody watches, and checks of accounts with a local store.
import { COUNTS_FOLDER, type FolderChange } from '../mail/mailBackend';
import { MailError } from '../mail/mailError';
import type { Folder, FolderPath } from '../mail/types';
import { applyFlags, mergeNewest, mergeResumed } from './folderChanges';
import { keys, type FolderNode } from './mailNodes';
import type { AccountSessions } from '../accounts/accountSessions';
import type { LoadedMail, MailTreeModelOptions } from './loadedMail';

export class LiveUpdates {
  /** Per account: a count check running, and whether another was asked for meanwhile (they come in bursts). */
  private readonly counting = new Map<string, { again: boolean }>();

  constructor(
    private readonly mail: LoadedMail,
    private readonly sessions: AccountSessions,
    private readonly options: MailTreeModelOptions,
  ) {}

  /**
   * The server (or another window) changed a folder. A flag change updates that message in place; new mail is
   * merged in at the top of what is loaded and announced, and so is what arrived while a watch was down (resumed:
   * asked for, never a reload); anything else reloads the folder when next shown.
   */
  folderChanged(account: string, change: FolderChange): void {
    if (change.folder === COUNTS_FOLDER) {
      // Some folder's counts changed (IMAP NOTIFY), or that watch is back after a drop: read them all again.
      void this.countsChanged(account);
      return;
    }
    const key = keys.folder(account, change.folder);
    if (change.kind === 'flags' && change.id && change.flags) {
      const applied = applyFlags(this.mail.pages.get(key), change.id, change.flags);
      if (applied) {
        if (applied.unreadDelta) this.mail.adjustUnread(account, change.folder, applied.unreadDelta);
        this.mail.fire(this.mail.nodes.get(keys.message(account, change.folder, change.id)));
        this.mail.fireFolders(account, [this.mail.messageNodeFor(account, applied.summary)]);
        return;
      }
    }
    if (change.kind === 'arrived' || change.kind === 'resumed') {
      void this.takeArrivals(account, change.folder, change.count ?? 0, change.kind === 'resumed');
      return;
    }
    this.mail.pages.delete(key);
    this.mail.failures.delete(key);
    this.mail.folders.delete(account);
    this.mail.fire(this.mail.nodes.get(keys.account(account)));
  }

  /**
   * `resumed`: a watch was down, so flags and removals may have changed too (mergeResumed), not only arrivals.
   * `countsRead`: the folder counts were read just now (a count check), so they are not asked for again.
   */
  async takeArrivals(
    account: string,
    path: FolderPath,
    count: number,
    resumed = false,
    countsRead = false,
  ): Promise<void> {
    const key = keys.folder(account, path);
    const mark = this.mail.removals.mark(key);
    try {
      const listed = await this.sessions.run(account, (backend) =>
        backend.listMessages(path, { limit: this.mail.pageSize }),
      );
      // Removed here while the server answered: not new mail, and not to come back.
      const newest = this.mail.removals.since(key, mark, listed);
      const page = this.mail.pages.get(key) ?? { messages: [], total: 0, next: newest.next };
      const known = this.mail.newestSeen.get(key);
      // Against what this window saw last; a folder never listed here has only the server's count to go by.
      const merged = resumed ? mergeResumed(page, newest) : mergeNewest(page, newest);
      const arrived = known ? merged.filter((summary) => !known.has(summary.ref.id)) : newest.messages.slice(0, count);
      if (this.mail.pages.has(key)) this.mail.fire(this.mail.nodes.get(key));
      this.mail.newestSeen.set(key, new Set(newest.messages.map((summary) => summary.ref.id)));
      if (!countsRead) {
        await this.mail.loadFolders(account).catch(() => this.mail.folders.delete(account));
        this.mail.fire(this.mail.nodes.get(keys.account(account)));
      }
      this.mail.announce(account, path, arrived);
    } catch {
      // The account's status says why; the folder reloads when next shown.
      this.mail.pages.delete(key);
    }
  }

  /**
   * The account is back after a lost connection: what the tree shows is reloaded, and mail that reached the Inbox
   * meanwhile is announced (against the newest messages this window had seen), once.
   */
  async reconnected(account: string): Promise<void> {
    const inbox = this.mail.folders.get(account)?.find((folder) => folder.specialUse === 'inbox')?.path ?? 'INBOX';
    const seen = this.mail.newestSeen.has(keys.folder(account, inbox));
    this.mail.forget(account);
    if (seen && !this.sessions.hasLocalStore(account)) await this.takeArrivals(account, inbox, 0);
  }

  /**
   * The poll for accounts whose counts are not reported as they change (no IMAP NOTIFY): every shown account's
   * folder counts read again (LIST-STATUS), as countsChanged does.
   */
  async refreshCounts(): Promise<void> {
    for (const account of [...this.mail.folders.keys()]) {
      if (this.sessions.hasLocalStore(account) || this.sessions.status(account).state !== 'online') continue;
      if (this.sessions.countsLive(account)) continue;
      await this.countsChanged(account);
    }
  }

  /**
   * Counts changed somewhere in the account: every folder's counts are read (one LIST-STATUS) and the tree redrawn
   * where they changed. A loaded folder without a watch of its own has its newest page merged (arrivals, flags,
   * removals); an unloaded one is asked for new mail only where the user wants to hear of it
   * (MailTreeModelOptions.wantsArrivals). New mail is announced.
   */
  async countsChanged(account: string): Promise<void> {
    const running = this.counting.get(account);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.counting.set(account, state);
    try {
      do {
        state.again = false;
        await this.readCounts(account);
      } while (state.again);
    } finally {
      this.counting.delete(account);
    }
  }

  private async readCounts(account: string): Promise<void> {
    const before = this.mail.folders.get(account);
    if (!before) return;
    const after = await this.mail.loadFolders(account).catch(() => undefined);
    if (!after) return;
    const counts = (folders: Folder[]) =>
      JSON.stringify(folders.map((folder) => [folder.path, folder.total, folder.unread]));
    if (counts(after) !== counts(before)) this.mail.fire(this.mail.nodes.get(keys.account(account)));
    for (const folder of after) {
      const previous = before.find((candidate) => candidate.path === folder.path);
      if (!previous || !folder.selectable || this.sessions.watches(account, folder.path)) continue;
      const grew = folder.total - previous.total;
      const loaded = this.mail.pages.has(keys.folder(account, folder.path));
      // A loaded list follows whatever changed (read or removed elsewhere too: mergeResumed), as its own watch
      // would have told; an unloaded folder is asked only for new mail the user wants to hear of.
      if (loaded && (grew !== 0 || folder.unread !== previous.unread))
        await this.takeArrivals(account, folder.path, Math.max(0, grew), true, true);
      else if (!loaded && grew > 0 && this.options.wantsArrivals?.(account, folder))
        await this.takeArrivals(account, folder.path, grew, false, true);
    }
  }

  /** The server's folder list after the cached one was shown; offline, the cached list stays with a notice. */
  async liveFolders(account: string): Promise<void> {
    try {
      await this.mail.loadFolders(account);
    } catch (error) {
      if (error instanceof MailError && error.kind === 'network')
        this.mail.offline.set(account, this.mail.notice(account, undefined, 'offline', error));
      else this.mail.failures.set(keys.account(account), this.mail.notice(account, undefined, 'error', error));
    }
    this.mail.fire(this.mail.nodes.get(keys.account(account)));
  }

  /** The server's newest page after the cached one was shown (only what changed is asked for). */
  async livePage(node: FolderNode): Promise<void> {
    const key = keys.folder(node.account, node.folder.path);
    try {
      await this.mail.loadFirstPage(node);
    } catch (error) {
      // Offline: the cached page stays (the account says offline). Anything else is this folder's own failure.
      if (!(error instanceof MailError && error.kind === 'network')) {
        this.mail.failures.set(key, this.mail.notice(node.account, node.folder.path, 'error', error));
        this.mail.pages.delete(key);
      }
    }
    this.mail.fire(this.mail.nodes.get(key));
  }

  /**
   * Downloads new mail of an account with a local store, shown or not (the interval check runs with the view
   * closed), then reloads what the tree shows and announces what arrived.
   */
  async checkLocalStore(account: string): Promise<void> {
    this.mail.synced.add(account);
    const inboxBefore = this.mail.folders.get(account)?.find((folder) => folder.specialUse === 'inbox');
    let downloaded = 0;
    try {
      const report = await (this.options.localChecks ?? this.sessions).sync(account);
      downloaded = (report as { downloaded?: number } | undefined)?.downloaded ?? 0;
    } catch {
      // The status carries the error; the account shows it as a notice above its local folders.
    }
    this.mail.forgetLoaded(account);
    this.mail.fire(this.mail.nodes.get(keys.account(account)));
    // The very first download of an account is its whole mailbox, not news.
    if (downloaded && inboxBefore && inboxBefore.total > 0)
      await this.announceNewest(account, inboxBefore.path, downloaded);
  }

  async announceNewest(account: string, path: FolderPath, count: number): Promise<void> {
    const newest = await this.sessions
      .run(account, (backend) => backend.listMessages(path, { limit: Math.min(count, this.mail.pageSize) }))
      .catch(() => undefined);
    if (newest) this.mail.announce(account, path, newest.messages);
  }
}
