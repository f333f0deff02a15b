// Folders shown as threads: which folders are (the user's choice per folder, remembered by the views), the thread
// and reply nodes of a folder's loaded messages, and the replies from Sent that join them. A thread of one message
// is shown as that message: a row with a twisty that opens onto one line helps nobody.
import type { AccountSessions } from '../accounts/accountSessions';
import type { FolderPath, MessagePage, MessageSummary, SpecialUse } from '../mail/types';
import type { LoadedMail } from './loadedMail';
import { mailThreads, type MailThread } from './mailThreads';
import { keys, type FolderNode, type MailNode, type MessageNode, type ThreadNode } from './mailNodes';
import type { ThreadBranch } from './threading';

/** What the user chose: threads or messages per folder (the views remember it), and how threads are joined. */
export interface ThreadViews {
  threaded(account: string, folder: FolderPath): boolean;
  setThreaded(account: string, folder: FolderPath, threaded: boolean): Promise<void>;
  /** Also join threads by subject (off unless the user asks: unrelated mail often shares one). */
  bySubject(): boolean;
}

/** Folders whose mail does not take replies from Sent into its threads. */
const NO_JOINED: ReadonlySet<SpecialUse | undefined> = new Set(['sent', 'drafts', 'trash', 'junk']);

export class ThreadedFolders {
  constructor(
    private readonly mail: LoadedMail,
    private readonly sessions: AccountSessions,
    private readonly views: ThreadViews | undefined,
  ) {}

  isThreaded(account: string, folder: FolderPath): boolean {
    return this.views?.threaded(account, folder) ?? false;
  }

  async setThreaded(node: FolderNode, threaded: boolean): Promise<void> {
    await this.views?.setThreaded(node.account, node.folder.path, threaded);
    this.mail.fire(node);
  }

  /** A folder's loaded messages as they are shown: threads (and lone messages), or the flat list. */
  async children(node: FolderNode, page: MessagePage): Promise<MailNode[]> {
    if (!this.isThreaded(node.account, node.folder.path)) {
      return page.messages.map((summary) => {
        const message = this.mail.messageNodeFor(node.account, summary);
        message.replies = undefined;
        message.shownUnder = undefined;
        return message;
      });
    }
    const joined = NO_JOINED.has(node.folder.specialUse) ? [] : await this.joinedOf(node.account);
    const threads = mailThreads(page.messages, joined, { bySubject: this.views?.bySubject() });
    return threads.map((thread) => this.threadNode(node, thread));
  }

  /** Every message of a thread as nodes (for thread actions): the folder's own and the joined replies. */
  messagesOf(node: ThreadNode): MessageNode[] {
    const all: MessageNode[] = [];
    const collect = (message: MessageNode) => {
      all.push(message);
      message.replies?.forEach(collect);
    };
    node.branches.forEach(collect);
    return all;
  }

  private threadNode(folder: FolderNode, thread: MailThread): MailNode {
    const path = folder.folder.path;
    if (thread.messages.length === 1) {
      const only = this.messageNode(folder.account, path, thread.messages[0]);
      only.replies = undefined;
      only.shownUnder = undefined;
      return only;
    }
    const node = this.mail.node<ThreadNode>({
      kind: 'thread',
      key: keys.thread(folder.account, path, thread.key),
      account: folder.account,
      folder: path,
      thread,
      branches: [],
    });
    node.thread = thread;
    node.branches = thread.branches.map((branch) => this.branchNode(folder.account, path, branch, node));
    return node;
  }

  private branchNode(
    account: string,
    path: FolderPath,
    branch: ThreadBranch<MessageSummary>,
    under: ThreadNode | MessageNode,
  ): MessageNode {
    const node = this.messageNode(account, path, branch.message);
    node.shownUnder = under;
    node.replies = branch.replies.map((reply) => this.branchNode(account, path, reply, node));
    return node;
  }

  /** The folder's own message node, or a node of its own for a message joined from another folder. */
  private messageNode(account: string, path: FolderPath, summary: MessageSummary): MessageNode {
    if (summary.ref.folder === path) return this.mail.messageNodeFor(account, summary);
    const node = this.mail.node<MessageNode>({
      kind: 'message',
      key: keys.joined(account, path, summary.ref.folder, summary.ref.id),
      account,
      summary,
    });
    node.summary = summary;
    node.joinedFrom = this.mail.folderOf(account, summary.ref.folder)?.name ?? summary.ref.folder;
    return node;
  }

  /** The newest page of the account's Sent folder: what is loaded, else the cache's, else the server's. */
  private joinedOf(account: string): Promise<MessageSummary[]> {
    let joined = this.mail.joined.get(account);
    if (!joined) {
      joined = this.loadSent(account);
      this.mail.joined.set(account, joined);
    }
    return joined;
  }

  private async loadSent(account: string): Promise<MessageSummary[]> {
    const sent = this.mail.folders.get(account)?.find((folder) => folder.specialUse === 'sent');
    if (!sent?.selectable) return [];
    const loaded = this.mail.pages.get(keys.folder(account, sent.path));
    if (loaded) return loaded.messages;
    const limit = this.mail.pageSize * 2;
    const cached = await this.sessions
      .cacheOf(account)
      ?.page(sent.path, limit)
      .catch(() => undefined);
    if (cached) return cached.messages;
    try {
      return (await this.sessions.run(account, (backend) => backend.listMessages(sent.path, { limit }))).messages;
    } catch {
      // Threads show without the user's replies; the next refresh asks again.
      this.mail.joined.delete(account);
      return [];
    }
  }
}
