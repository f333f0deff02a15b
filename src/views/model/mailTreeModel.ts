// What the Mail tree shows and how it changes: accounts -> folders (with hierarchy) -> messages, 50 at a time.
// Every mutation goes to the server (or the POP3 store) first and changes the cached view only after it worked.
import type { AccountSessions } from '../../accounts/accountSessions';
import { MailError } from '../../mail/mailError';
import type { FlagChange, Folder, FolderPath, MessageRef, MessageSummary } from '../../mail/types';
import type { FolderChange } from '../../mail/mailBackend';
import { applyFlags, mergeNewest } from './folderChanges';
import { KeptSearches } from './keptSearches';
import { keys, type AccountNode, type FolderNode, type LoadMoreNode, type MailNode, type MessageNode, type NoticeNode, type SearchNode } from './mailNodes';

interface FolderPage {
  messages: MessageSummary[];
  next?: string;
  total: number;
}

export interface MailTreeModelOptions {
  pageSize?: number;
  /** POP3 accounts download when first shown and on refresh; the VS Code layer wraps this to show progress. */
  syncPop3?: (account: string) => Promise<unknown>;
}

type Listener = (node: MailNode | undefined) => void;

export class MailTreeModel {
  private readonly folders = new Map<string, Folder[]>();
  private readonly pages = new Map<string, FolderPage>();
  private readonly nodes = new Map<string, MailNode>();
  private readonly listeners = new Set<Listener>();
  private readonly synced = new Set<string>();
  private readonly searches = new KeptSearches();
  private readonly arrivalListeners = new Set<(account: string, folder: FolderPath, arrived: MessageSummary[]) => void>();
  /** Per folder, the ids of its newest page when last listed: what counts as new when mail arrives. */
  private readonly newestSeen = new Map<string, Set<string>>();
  /**
   * Failures are remembered until a refresh or retry: redrawing a node (its account changed state, say) must not
   * ask a failing server again, or every redraw would cause the next one.
   */
  private readonly failures = new Map<string, NoticeNode>();
  private readonly pageSize: number;

  constructor(private readonly sessions: AccountSessions, private readonly options: MailTreeModelOptions = {}) {
    this.pageSize = options.pageSize ?? 50;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  roots(): AccountNode[] {
    return this.sessions.accounts().map((account) => this.node({ kind: 'account', key: keys.account(account.id), account: account.id }));
  }

  async children(node: MailNode): Promise<MailNode[]> {
    switch (node.kind) {
      case 'account':
        return this.accountChildren(node);
      case 'folder':
        return this.folderChildren(node);
      case 'search':
        return this.searchChildren(node);
      default:
        return [];
    }
  }

  /** Keeps a search's results in the tree, under its account (shown again after a refresh, searched anew). */
  addSearch(account: string, words: string[], folder?: FolderPath): SearchNode {
    const node = this.node<SearchNode>({ kind: 'search', key: keys.search(account, folder, words), account, words, folder, folderName: folder ? this.folderOf(account, folder)?.name : undefined });
    this.searches.add(node);
    this.fire(this.nodes.get(keys.account(account)));
    return node;
  }

  removeSearch(node: SearchNode): void {
    this.searches.remove(node);
    this.nodes.delete(node.key);
    this.fire(this.nodes.get(keys.account(node.account)));
  }

  /** A message node for a summary found outside the tree (a search), shared with the tree's own node. */
  messageNodeForSummary(summary: MessageSummary): MessageNode {
    return this.messageNodeFor(summary.ref.account, summary);
  }

  /** Appends the next page of a folder. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const key = keys.folder(node.account, node.folder);
    const page = this.pages.get(key);
    if (!page?.next) return;
    const more = await this.sessions.run(node.account, (backend) => backend.listMessages(node.folder, { limit: this.pageSize, after: page.next }));
    this.pages.set(key, { messages: [...page.messages, ...more.messages], next: more.next, total: more.total });
    this.fire(this.nodes.get(key));
  }

  /** Forgets what was loaded, so the next look asks the server again; POP3 accounts download new mail first. */
  async refresh(account?: string): Promise<void> {
    const accounts = account ? [account] : this.sessions.accounts().map((a) => a.id);
    for (const id of accounts) {
      this.failures.delete(keys.account(id));
      this.forgetFolders(id, this.failures);
      this.forgetFolders(id, this.pages);
      this.folders.delete(id);
      this.synced.delete(id);
      this.searches.forget(id);
    }
    this.fire(account ? this.nodes.get(keys.account(account)) : undefined);
  }

  /**
   * The server (or another window) changed a folder. A flag change updates that message in place; new mail is
   * merged in at the top of what is loaded and announced; anything else reloads the folder when next shown.
   */
  folderChanged(account: string, change: FolderChange): void {
    const key = keys.folder(account, change.folder);
    if (change.kind === 'flags' && change.id && change.flags) {
      const applied = applyFlags(this.pages.get(key), change.id, change.flags);
      if (applied) {
        if (applied.unreadDelta) this.adjustUnread(account, change.folder, applied.unreadDelta);
        this.fire(this.nodes.get(keys.message(account, change.folder, change.id)));
        this.fireFolders(account, [this.messageNodeFor(account, applied.summary)]);
        return;
      }
    }
    if (change.kind === 'arrived') {
      void this.takeArrivals(account, change.folder, change.count ?? 0);
      return;
    }
    this.pages.delete(key);
    this.failures.delete(key);
    this.folders.delete(account);
    this.fire(this.nodes.get(keys.account(account)));
  }

  /** New mail that arrived while Letterbox watched (for notifications): account, folder, the new summaries. */
  onDidReceiveMail(listener: (account: string, folder: FolderPath, arrived: MessageSummary[]) => void): { dispose(): void } {
    this.arrivalListeners.add(listener);
    return { dispose: () => this.arrivalListeners.delete(listener) };
  }

  private async takeArrivals(account: string, path: FolderPath, count: number): Promise<void> {
    const key = keys.folder(account, path);
    try {
      const newest = await this.sessions.run(account, (backend) => backend.listMessages(path, { limit: this.pageSize }));
      const page = this.pages.get(key) ?? { messages: [], total: 0, next: newest.next };
      const known = this.newestSeen.get(key);
      // Against what this window saw last; a folder never listed here has only the server's count to go by.
      const merged = mergeNewest(page, newest);
      const arrived = known ? merged.filter((summary) => !known.has(summary.ref.id)) : newest.messages.slice(0, count);
      if (this.pages.has(key)) this.fire(this.nodes.get(key));
      this.newestSeen.set(key, new Set(newest.messages.map((summary) => summary.ref.id)));
      await this.loadFolders(account).catch(() => this.folders.delete(account));
      this.fire(this.nodes.get(keys.account(account)));
      const unseen = arrived.filter((summary) => !summary.flags.seen);
      if (unseen.length) for (const listener of this.arrivalListeners) listener(account, path, unseen);
    } catch {
      // The account's status says why; the folder reloads when next shown.
      this.pages.delete(key);
    }
  }

  /**
   * The account is back after a lost connection: what the tree shows is reloaded, and mail that reached the Inbox
   * meanwhile is announced (against the newest messages this window had seen), once.
   */
  async reconnected(account: string): Promise<void> {
    const inbox = this.folders.get(account)?.find((folder) => folder.specialUse === 'inbox')?.path ?? 'INBOX';
    const seen = this.newestSeen.has(keys.folder(account, inbox));
    await this.refresh(account);
    if (seen && !this.sessions.hasLocalStore(account)) await this.takeArrivals(account, inbox, 0);
  }

  /** Reloads the folder counts of accounts already shown (LIST-STATUS), redrawing those whose counts changed. */
  async refreshCounts(): Promise<void> {
    for (const [account, before] of [...this.folders]) {
      if (this.sessions.hasLocalStore(account) || this.sessions.status(account).state !== 'online') continue;
      const after = await this.loadFolders(account).catch(() => undefined);
      const counts = (folders: Folder[]) => JSON.stringify(folders.map((folder) => [folder.path, folder.total, folder.unread]));
      if (after && counts(after) !== counts(before)) this.fire(this.nodes.get(keys.account(account)));
    }
  }

  /** The total unread count of every loaded Inbox, for the view badge. */
  unreadInInboxes(): number {
    let unread = 0;
    for (const folders of this.folders.values()) unread += folders.find((folder) => folder.specialUse === 'inbox')?.unread ?? 0;
    return unread;
  }

  /** Folders a message of this account can be moved to. */
  async moveTargets(account: string): Promise<Folder[]> {
    const folders = this.folders.get(account) ?? (await this.loadFolders(account));
    return folders.filter((folder) => folder.selectable);
  }

  async setFlags(nodes: MessageNode[], change: FlagChange): Promise<void> {
    for (const [account, group] of byAccount(nodes)) {
      await this.sessions.run(account, (backend) => backend.setFlags(group.map((node) => node.summary.ref), change));
      for (const node of group) {
        const before = node.summary.flags.seen;
        node.summary.flags = { ...node.summary.flags, ...change };
        if (change.seen !== undefined && before !== change.seen) this.adjustUnread(account, node.summary.ref.folder, change.seen ? -1 : 1);
        this.fire(node);
      }
      this.fireFolders(account, group);
    }
  }

  async delete(nodes: MessageNode[]): Promise<void> {
    for (const [account, group] of byAccount(nodes)) {
      await this.sessions.run(account, (backend) => backend.delete(group.map((node) => node.summary.ref)));
      await this.afterRemoval(account, group);
    }
  }

  async move(nodes: MessageNode[], target: FolderPath): Promise<void> {
    for (const [account, group] of byAccount(nodes)) {
      const refs = group.map((node) => node.summary.ref).filter((ref) => ref.folder !== target);
      if (!refs.length) continue;
      await this.sessions.run(account, (backend) => backend.move(refs, target));
      await this.afterRemoval(account, group.filter((node) => node.summary.ref.folder !== target));
    }
  }

  /** A loaded folder of an account, if its list is known. */
  folderOf(account: string, path: FolderPath): Folder | undefined {
    return this.folders.get(account)?.find((folder) => folder.path === path);
  }

  accountNode(account: string): AccountNode | undefined {
    const node = this.nodes.get(keys.account(account));
    return node?.kind === 'account' ? node : undefined;
  }

  /** The cached node for a message reference, if it is shown. */
  messageNode(ref: MessageRef): MessageNode | undefined {
    const node = this.nodes.get(keys.message(ref.account, ref.folder, ref.id));
    return node?.kind === 'message' ? node : undefined;
  }

  private async accountChildren(node: AccountNode): Promise<MailNode[]> {
    const account = this.sessions.account(node.account);
    if (!account) return [];
    const notices: NoticeNode[] = [];
    const local = this.sessions.hasLocalStore(node.account);
    if (local && !this.synced.has(node.account)) {
      // Local mail shows at once; the download runs beside it and refreshes the account when done.
      void this.checkLocalStore(node.account);
    }
    const failed = this.failures.get(node.key);
    if (failed) return [failed];
    let folders: Folder[];
    try {
      folders = this.folders.get(node.account) ?? (await this.loadFolders(node.account));
    } catch (error) {
      const notice = this.notice(node.account, undefined, 'error', error);
      this.failures.set(node.key, notice);
      return [notice];
    }
    const status = this.sessions.status(node.account);
    if (local && status.error) notices.push(this.notice(node.account, undefined, 'sync-error', status.error));
    const top = folders.filter((folder) => !folder.parentPath || !folders.some((other) => other.path === folder.parentPath));
    return [...notices, ...top.map((folder) => this.folderNode(node.account, folder)), ...this.searches.of(node.account)];
  }

  private async folderChildren(node: FolderNode): Promise<MailNode[]> {
    const folders = this.folders.get(node.account) ?? [];
    const subfolders = folders.filter((folder) => folder.parentPath === node.folder.path).map((folder) => this.folderNode(node.account, folder));
    if (!node.folder.selectable) return subfolders;
    const key = keys.folder(node.account, node.folder.path);
    let page = this.pages.get(key);
    const failed = this.failures.get(key);
    if (!page && failed) return [...subfolders, failed];
    if (!page) {
      try {
        const first = await this.sessions.run(node.account, (backend) => backend.listMessages(node.folder.path, { limit: this.pageSize }));
        page = { messages: first.messages, next: first.next, total: first.total };
        this.pages.set(key, page);
        this.newestSeen.set(key, new Set(first.messages.map((summary) => summary.ref.id)));
        // The folder being looked at stays current by itself (IMAP IDLE on a connection of its own).
        this.sessions.watchFolder(node.account, node.folder.path);
      } catch (error) {
        const notice = this.notice(node.account, node.folder.path, 'error', error);
        this.failures.set(key, notice);
        return [...subfolders, notice];
      }
    }
    const messages = page.messages.map((summary) => this.messageNodeFor(node.account, summary));
    const rest: MailNode[] = [];
    if (page.next) {
      rest.push(this.node({ kind: 'loadMore', key: keys.loadMore(node.account, node.folder.path), account: node.account, folder: node.folder.path, remaining: Math.max(0, page.total - page.messages.length) }));
    }
    if (!messages.length && !subfolders.length) {
      rest.push(this.notice(node.account, node.folder.path, 'empty', 'No messages'));
    }
    return [...subfolders, ...messages, ...rest];
  }

  private async searchChildren(node: SearchNode): Promise<MailNode[]> {
    let results = this.searches.resultsOf(node);
    if (!results) {
      try {
        results = (await this.sessions.run(node.account, (backend) => backend.search({ words: node.words, folder: node.folder, limit: 200 }))).messages;
        this.searches.setResults(node, results);
      } catch (error) {
        return [this.notice(node.account, node.folder, `search-${node.key}`, error)];
      }
    }
    if (!results.length) return [this.notice(node.account, node.folder, `search-empty-${node.key}`, 'No messages match')];
    return results.map((summary) => this.messageNodeFor(node.account, summary));
  }

  private async loadFolders(account: string): Promise<Folder[]> {
    const folders = await this.sessions.run(account, (backend) => backend.listFolders());
    this.folders.set(account, folders);
    return folders;
  }

  /**
   * Downloads new mail of an account with a local store, shown or not (the interval check runs with the view
   * closed), then reloads what the tree shows and announces what arrived.
   */
  async checkLocalStore(account: string): Promise<void> {
    this.synced.add(account);
    const inboxBefore = this.folders.get(account)?.find((folder) => folder.specialUse === 'inbox');
    let downloaded = 0;
    try {
      const report = await (this.options.syncPop3 ?? ((id: string) => this.sessions.sync(id)))(account);
      downloaded = (report as { downloaded?: number } | undefined)?.downloaded ?? 0;
    } catch {
      // The status carries the error; the account shows it as a notice above its local folders.
    }
    this.folders.delete(account);
    this.forgetFolders(account, this.pages);
    this.failures.delete(keys.account(account));
    this.forgetFolders(account, this.failures);
    this.fire(this.nodes.get(keys.account(account)));
    // The very first download of an account is its whole mailbox, not news.
    if (downloaded && inboxBefore && inboxBefore.total > 0) await this.announceNewest(account, inboxBefore.path, downloaded);
  }

  private async announceNewest(account: string, path: FolderPath, count: number): Promise<void> {
    const newest = await this.sessions.run(account, (backend) => backend.listMessages(path, { limit: Math.min(count, this.pageSize) })).catch(() => undefined);
    const unseen = newest?.messages.filter((summary) => !summary.flags.seen) ?? [];
    if (unseen.length) for (const listener of this.arrivalListeners) listener(account, path, unseen);
  }

  /** Drops the entries of every folder of one account from a per-folder cache, except the folders kept. */
  private forgetFolders(account: string, cache: Map<string, unknown>, keep: Set<string> = new Set()): void {
    const prefix = keys.folder(account, '');
    for (const key of [...cache.keys()]) if (key.startsWith(prefix) && !keep.has(key)) cache.delete(key);
  }

  private async afterRemoval(account: string, removed: MessageNode[]): Promise<void> {
    for (const node of removed) {
      const key = keys.folder(account, node.summary.ref.folder);
      const page = this.pages.get(key);
      if (page) {
        page.messages = page.messages.filter((summary) => summary.ref.id !== node.summary.ref.id);
        page.total = Math.max(0, page.total - 1);
      }
      this.nodes.delete(node.key);
      this.searches.drop(node.summary.ref);
    }
    // Counts of the target folder (Trash, or where the messages went) come from the server, not from guessing.
    this.forgetFolders(account, this.pages, new Set(removed.map((node) => keys.folder(account, node.summary.ref.folder))));
    try {
      await this.loadFolders(account);
    } catch {
      this.folders.delete(account);
    }
    this.fire(this.nodes.get(keys.account(account)));
  }

  private adjustUnread(account: string, path: FolderPath, delta: number): void {
    const folder = this.folders.get(account)?.find((candidate) => candidate.path === path);
    if (folder) folder.unread = Math.max(0, folder.unread + delta);
  }

  private fireFolders(account: string, group: MessageNode[]): void {
    for (const path of new Set(group.map((node) => node.summary.ref.folder))) {
      const folder = this.nodes.get(keys.folder(account, path));
      if (folder) this.fire(folder);
    }
  }

  /** The node of a folder (for revealing it, or listing its messages from the palette); loads the folder list. */
  async folderNodeOf(account: string, path: FolderPath): Promise<FolderNode | undefined> {
    const folders = this.folders.get(account) ?? (await this.loadFolders(account));
    const folder = folders.find((candidate) => candidate.path === path);
    return folder ? this.folderNode(account, folder) : undefined;
  }

  /** The node above this one in the tree (what TreeView.reveal needs). */
  parentOf(node: MailNode): MailNode | undefined {
    if (node.kind === 'account') return undefined;
    if (node.kind === 'folder') {
      const parentPath = node.folder.parentPath;
      const parent = parentPath ? this.folders.get(node.account)?.find((folder) => folder.path === parentPath) : undefined;
      return parent ? this.folderNode(node.account, parent) : this.accountNodeFor(node.account);
    }
    const path = node.kind === 'message' ? node.summary.ref.folder : node.folder;
    const folder = path === undefined ? undefined : this.folders.get(node.account)?.find((candidate) => candidate.path === path);
    return folder ? this.folderNode(node.account, folder) : this.accountNodeFor(node.account);
  }

  private accountNodeFor(account: string): AccountNode {
    return this.node<AccountNode>({ kind: 'account', key: keys.account(account), account });
  }

  /** The messages loaded for a folder, in the order shown (for next/previous in the panel). */
  loadedMessages(account: string, path: FolderPath): MessageNode[] {
    return (this.pages.get(keys.folder(account, path))?.messages ?? []).map((summary) => this.messageNodeFor(account, summary));
  }

  /** Marks every message of a folder read, on the server (or in the local store), then reloads its counts. */
  async markFolderRead(account: string, path: FolderPath): Promise<void> {
    await this.sessions.run(account, (backend) => backend.markFolderRead(path));
    for (const summary of this.pages.get(keys.folder(account, path))?.messages ?? []) {
      summary.flags = { ...summary.flags, seen: true };
      const node = this.nodes.get(keys.message(account, path, summary.ref.id));
      if (node) this.fire(node);
    }
    await this.loadFolders(account).catch(() => this.folders.delete(account));
    this.fire(this.nodes.get(keys.account(account)));
  }

  private folderNode(account: string, folder: Folder): FolderNode {
    const node = this.node<FolderNode>({ kind: 'folder', key: keys.folder(account, folder.path), account, folder });
    node.folder = folder;
    return node;
  }

  private messageNodeFor(account: string, summary: MessageSummary): MessageNode {
    const node = this.node<MessageNode>({ kind: 'message', key: keys.message(account, summary.ref.folder, summary.ref.id), account, summary });
    node.summary = summary;
    return node;
  }

  private notice(account: string, folder: FolderPath | undefined, what: string, cause: unknown): NoticeNode {
    const error = cause instanceof MailError ? cause : typeof cause === 'string' ? undefined : new MailError('protocol', String(cause));
    const text = typeof cause === 'string' ? cause : error?.message ?? '';
    return this.node<NoticeNode>({ kind: 'notice', key: keys.notice(account, folder, what), account, folder, text, error }, true);
  }

  /** One object per key, so VS Code can refresh exactly the node that changed. */
  private node<T extends MailNode>(fresh: T, replace = false): T {
    const existing = this.nodes.get(fresh.key);
    if (existing && !replace) return existing as T;
    this.nodes.set(fresh.key, fresh);
    return fresh;
  }

  private fire(node: MailNode | undefined): void {
    for (const listener of this.listeners) listener(node);
  }
}

function byAccount(nodes: MessageNode[]): Map<string, MessageNode[]> {
  const groups = new Map<string, MessageNode[]>();
  for (const node of nodes) groups.set(node.account, [...(groups.get(node.account) ?? []), node]);
  return groups;
}
