// What the mailbox holds, without VS Code: what is loaded per account and folder, the one node object per key, the
// events that tell the views, and the loads that fill it. The parts of the core (mailTreeModel.ts composes them)
// share this one object: each has one job, none inherits another. Every mutation goes to the server (or the store)
// first and changes what is held here only after it worked.
import type { AccountSessions } from '../accounts/accountSessions';
import { Emitter, type Event } from '../mail/events';
import { asMailError } from '../mail/mailError';
import type { Folder, FolderPath, MessagePage, MessageRef, MessageSummary } from '../mail/types';
import { KeptSearches } from './keptSearches';
import { Removals } from './removals';
import type { ThreadViews } from './threadedFolders';
import {
  keys,
  type AccountNode,
  type FolderNode,
  type MailNode,
  type MessageNode,
  type NoticeNode,
  type SearchNode,
  type UnifiedNode,
} from './mailNodes';

export interface MailTreeModelOptions {
  pageSize?: number;
  /** Which folders show threads (the views remember the user's choice); without it, every folder lists messages. */
  threads?: ThreadViews;
  /**
   * Whether new mail in a folder the tree has not loaded is worth fetching when its count grows: the user wants to
   * hear of it (letterbox.newMailNotifications). Without it, only counts change there.
   */
  wantsArrivals?(account: string, folder: Folder): boolean;
  /** Whether "All Inboxes" shows above the accounts (letterbox.unifiedInbox); off without it. */
  unifiedInbox?(): boolean;
  /**
   * Who downloads the mail of an account with a local store when it is first shown and on refresh (the POP3
   * checker, which shows progress); without one, the sessions' sync.
   */
  localChecks?: { sync(account: string): Promise<unknown> };
}

/** Unread mail that arrived in a folder while Letterbox watched. */
export interface Arrival {
  account: string;
  folder: FolderPath;
  arrived: MessageSummary[];
}

export class LoadedMail {
  readonly folders = new Map<string, Folder[]>();

  readonly pages = new Map<string, MessagePage>();

  readonly nodes = new Map<string, MailNode>();

  private readonly changed = new Emitter<MailNode | undefined>();

  /** A node whose look or children changed (undefined: everything). */
  readonly onDidChange: Event<MailNode | undefined> = this.changed.event;

  readonly synced = new Set<string>();

  /** Per account: the newest messages of its Sent folder, which join other folders' threads (threadedFolders.ts). */
  readonly joined = new Map<string, Promise<MessageSummary[]>>();

  readonly searches = new KeptSearches();
  /** What this window removed from each folder: listings answered before a removal are cut by it. */
  readonly removals = new Removals();

  /** Accounts shown from their cache while the server cannot be reached: the notice above their folders. */
  readonly offline = new Map<string, NoticeNode>();

  private readonly received = new Emitter<Arrival>();

  /** New unread mail that arrived while Letterbox watched (for notifications). */
  readonly onDidReceiveMail: Event<Arrival> = this.received.event;

  /** Per folder, the ids of its newest page when last listed: what counts as new when mail arrives. */
  readonly newestSeen = new Map<string, Set<string>>();

  /**
   * Failures are remembered until a refresh or retry: redrawing a node (its account changed state, say) must not
   * ask a failing server again, or every redraw would cause the next one.
   */
  readonly failures = new Map<string, NoticeNode>();

  readonly pageSize: number;

  constructor(
    private readonly sessions: AccountSessions,
    options: MailTreeModelOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 50;
  }

  /** Forgets what was loaded (of one account, or all), so the next look asks again; POP3 accounts download first. */
  forget(account?: string): void {
    const accounts = account ? [account] : this.sessions.accounts().map((a) => a.id);
    for (const id of accounts) {
      this.forgetLoaded(id);
      this.synced.delete(id);
    }
    this.fire(account ? this.nodes.get(keys.account(account)) : undefined);
  }

  /** A message node for a summary found outside the tree (a search), shared with the tree's own node. */
  messageNodeForSummary(summary: MessageSummary): MessageNode {
    return this.messageNodeFor(summary.ref.account, summary);
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

  async loadFolders(account: string): Promise<Folder[]> {
    const folders = await this.sessions.run(account, (backend) => backend.listFolders());
    this.folders.set(account, folders);
    this.offline.delete(account);
    return folders;
  }

  /**
   * A folder's newest page from the backend, kept as the folder's list: what counts as new from now on, and the
   * folder on show is watched (IMAP IDLE on a connection of its own).
   */
  async loadFirstPage(node: FolderNode): Promise<MessagePage> {
    const key = keys.folder(node.account, node.folder.path);
    const mark = this.removals.mark(key);
    const listed = await this.sessions.run(node.account, (backend) =>
      backend.listMessages(node.folder.path, { limit: this.pageSize }),
    );
    const first = this.removals.since(key, mark, listed);
    const page = { messages: first.messages, next: first.next, total: first.total };
    this.pages.set(key, page);
    this.newestSeen.set(key, new Set(first.messages.map((summary) => summary.ref.id)));
    this.sessions.watchFolder(node.account, node.folder.path);
    return page;
  }

  /** Forgets everything loaded for an account (lists, failures, the offline line, kept results): asked anew. */
  forgetLoaded(account: string): void {
    this.failures.delete(keys.account(account));
    this.offline.delete(account);
    this.forgetFolders(account, this.failures);
    this.forgetFolders(account, this.pages);
    this.folders.delete(account);
    this.joined.delete(account);
    this.searches.forget(account);
  }

  /** Tells the listeners of onDidReceiveMail about unread mail that arrived. */
  announce(account: string, folder: FolderPath, arrived: MessageSummary[]): void {
    const unseen = arrived.filter((summary) => !summary.flags.seen);
    if (unseen.length) this.received.fire({ account, folder, arrived: unseen });
  }

  /** Drops the entries of every folder of one account from a per-folder cache, except the folders kept. */
  forgetFolders(account: string, cache: Map<string, unknown>, keep: Set<string> = new Set()): void {
    const prefix = keys.folder(account, '');
    for (const key of [...cache.keys()]) if (key.startsWith(prefix) && !keep.has(key)) cache.delete(key);
  }

  adjustUnread(account: string, path: FolderPath, delta: number): void {
    const folder = this.folders.get(account)?.find((candidate) => candidate.path === path);
    if (folder) folder.unread = Math.max(0, folder.unread + delta);
  }

  fireFolders(account: string, group: MessageNode[]): void {
    for (const path of new Set(group.map((node) => node.summary.ref.folder))) {
      const folder = this.nodes.get(keys.folder(account, path));
      if (folder) this.fire(folder);
    }
  }

  accountNodeFor(account: string): AccountNode {
    return this.node<AccountNode>({ kind: 'account', key: keys.account(account), account });
  }

  /** The messages loaded for a folder, in the order shown (for next/previous in the panel). */
  loadedMessages(account: string, path: FolderPath): MessageNode[] {
    return (this.pages.get(keys.folder(account, path))?.messages ?? []).map((summary) =>
      this.messageNodeFor(account, summary),
    );
  }

  folderNode(account: string, folder: Folder): FolderNode {
    const node = this.node<FolderNode>({ kind: 'folder', key: keys.folder(account, folder.path), account, folder });
    node.folder = folder;
    return node;
  }

  messageNodeFor(account: string, summary: MessageSummary): MessageNode {
    const node = this.node<MessageNode>({
      kind: 'message',
      key: keys.message(account, summary.ref.folder, summary.ref.id),
      account,
      summary,
    });
    node.summary = summary;
    return node;
  }

  /** A node for a message listed by a search or All Inboxes, its own and not its folder's: it may show in both. */
  listedNodeFor(listing: SearchNode | UnifiedNode, summary: MessageSummary): MessageNode {
    const node = this.node<MessageNode>({
      kind: 'message',
      key: keys.hit(listing.key, summary.ref.account, summary.ref.folder, summary.ref.id),
      account: summary.ref.account,
      summary,
      foundBy: listing,
    });
    node.summary = summary;
    return node;
  }

  notice(account: string, folder: FolderPath | undefined, what: string, cause: unknown): NoticeNode {
    const error = typeof cause === 'string' ? undefined : asMailError(cause, `showing ${folder ?? 'the account'}`);
    const text = typeof cause === 'string' ? cause : (error?.message ?? '');
    return this.node<NoticeNode>(
      { kind: 'notice', key: keys.notice(account, folder, what), account, folder, text, error },
      true,
    );
  }

  /** One object per key, so VS Code can refresh exactly the node that changed. */
  node<T extends MailNode>(fresh: T, replace = false): T {
    const existing = this.nodes.get(fresh.key);
    if (existing && !replace) return existing as T;
    this.nodes.set(fresh.key, fresh);
    return fresh;
  }

  fire(node: MailNode | undefined): void {
    this.changed.fire(node);
    // All Inboxes shows what the accounts' Inboxes hold: it follows any change to one of them.
    const unified = this.nodes.get(keys.unified());
    if (node && unified && node !== unified && this.touchesAnInbox(node)) this.changed.fire(unified);
  }

  private touchesAnInbox(node: MailNode): boolean {
    if (node.kind === 'account') return true;
    if (node.kind === 'folder') return node.folder.specialUse === 'inbox';
    if (node.kind === 'message') return this.folderOf(node.account, node.summary.ref.folder)?.specialUse === 'inbox';
    return false;
  }
}
