// The mailbox core as the views see it: one facade over parts with one job each, composed here (no inheritance):
// - loadedMail.ts: what is held (folders, pages, nodes, kept searches) and the events that tell the views;
// - mailTreeStructure.ts: accounts -> folders -> messages, loading what is missing;
// - mailActions.ts: what the user does (flags, delete, move, mark read, load more, keep a search);
// - liveUpdates.ts: what happens elsewhere (pushed changes, arrivals, reconnects, counts, local-store checks);
// - threadedFolders.ts: folders shown as threads (threading.ts joins them), with the user's replies from Sent.
import type { AccountSessions } from '../accounts/accountSessions';
import type { Event } from '../mail/events';
import type { FolderChange } from '../mail/mailBackend';
import type { FlagChange, Folder, FolderPath, MessageRef, MessageSummary } from '../mail/types';
import { LiveUpdates } from './liveUpdates';
import { LoadedMail, type Arrival, type MailTreeModelOptions } from './loadedMail';
import { MailActions } from './mailActions';
import type {
  AccountNode,
  FolderNode,
  LoadMoreNode,
  MailNode,
  MessageNode,
  SearchNode,
  ThreadNode,
  UnifiedNode,
} from './mailNodes';
import { MailTreeStructure } from './mailTreeStructure';
import { ThreadedFolders } from './threadedFolders';

export type { Arrival, MailTreeModelOptions } from './loadedMail';

export class MailTreeModel {
  private readonly mail: LoadedMail;
  private readonly live: LiveUpdates;
  private readonly structure: MailTreeStructure;
  private readonly actions: MailActions;
  private readonly threads: ThreadedFolders;
  /** A node whose look or children changed (undefined: everything). */
  readonly onDidChange: Event<MailNode | undefined>;
  /** New unread mail that arrived while Letterbox watched (for notifications). */
  readonly onDidReceiveMail: Event<Arrival>;

  constructor(sessions: AccountSessions, options: MailTreeModelOptions = {}) {
    this.mail = new LoadedMail(sessions, options);
    this.live = new LiveUpdates(this.mail, sessions, options);
    this.threads = new ThreadedFolders(this.mail, sessions, options.threads);
    this.structure = new MailTreeStructure(
      this.mail,
      sessions,
      this.live,
      this.threads,
      () => options.unifiedInbox?.() ?? false,
    );
    this.actions = new MailActions(this.mail, sessions);
    this.onDidChange = this.mail.onDidChange;
    this.onDidReceiveMail = this.mail.onDidReceiveMail;
  }

  // The tree.
  roots(): Array<AccountNode | UnifiedNode> {
    return this.structure.roots();
  }

  children(node: MailNode): Promise<MailNode[]> {
    return this.structure.children(node);
  }

  parentOf(node: MailNode): MailNode | undefined {
    return this.structure.parentOf(node);
  }

  folderNodeOf(account: string, path: FolderPath): Promise<FolderNode | undefined> {
    return this.structure.folderNodeOf(account, path);
  }

  moveTargets(account: string): Promise<Folder[]> {
    return this.structure.moveTargets(account);
  }

  unreadInInboxes(): number {
    return this.structure.unreadInInboxes();
  }

  // What is held.
  folderOf(account: string, path: FolderPath): Folder | undefined {
    return this.mail.folderOf(account, path);
  }

  accountNode(account: string): AccountNode | undefined {
    return this.mail.accountNode(account);
  }

  messageNode(ref: MessageRef): MessageNode | undefined {
    return this.mail.messageNode(ref);
  }

  messageNodeForSummary(summary: MessageSummary): MessageNode {
    return this.mail.messageNodeForSummary(summary);
  }

  loadedMessages(account: string, path: FolderPath): MessageNode[] {
    return this.mail.loadedMessages(account, path);
  }

  /** Forgets what was loaded, so the next look asks the server again; POP3 accounts download new mail first. */
  async refresh(account?: string): Promise<void> {
    this.mail.forget(account);
  }

  // Threads.
  /** Whether a folder shows its mail as threads. */
  isThreaded(account: string, path: FolderPath): boolean {
    return this.threads.isThreaded(account, path);
  }

  /** Shows a folder as threads or as messages (remembered per folder). */
  setThreaded(node: FolderNode, threaded: boolean): Promise<void> {
    return this.threads.setThreaded(node, threaded);
  }

  /** Every message of a thread: the folder's own and the user's replies joined from Sent. */
  threadMessages(node: ThreadNode): MessageNode[] {
    return this.threads.messagesOf(node);
  }

  /** The thread a message is shown in, if its folder shows threads and it has company. */
  threadOf(node: MessageNode): ThreadNode | undefined {
    let up: MailNode | undefined = node.shownUnder;
    while (up?.kind === 'message') up = up.shownUnder;
    return up;
  }

  // What the user does.
  setFlags(nodes: MessageNode[], change: FlagChange): Promise<void> {
    return this.actions.setFlags(nodes, change);
  }

  delete(nodes: MessageNode[]): Promise<void> {
    return this.actions.delete(nodes);
  }

  move(nodes: MessageNode[], target: FolderPath): Promise<void> {
    return this.actions.move(nodes, target);
  }

  markFolderRead(account: string, path: FolderPath): Promise<void> {
    return this.actions.markFolderRead(account, path);
  }

  loadMore(node: LoadMoreNode): Promise<void> {
    return this.actions.loadMore(node);
  }

  addSearch(account: string, words: string[], folder?: FolderPath): SearchNode {
    return this.actions.addSearch(account, words, folder);
  }

  removeSearch(node: SearchNode): void {
    this.actions.removeSearch(node);
  }

  // What happens elsewhere.
  folderChanged(account: string, change: FolderChange): void {
    this.live.folderChanged(account, change);
  }

  reconnected(account: string): Promise<void> {
    return this.live.reconnected(account);
  }

  refreshCounts(): Promise<void> {
    return this.live.refreshCounts();
  }

  checkLocalStore(account: string): Promise<void> {
    return this.live.checkLocalStore(account);
  }
}
