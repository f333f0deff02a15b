// What the user does to mail in the tree: flags, delete, move, mark a folder read, load more, keep a search. The
// server (or the store) first; what is held changes only after it worked, and the views are told.
import type { AccountSessions } from '../accounts/accountSessions';
import type { FlagChange, FolderPath } from '../mail/types';
import type { LoadedMail } from './loadedMail';
import { keys, type LoadMoreNode, type MessageNode, type SearchNode } from './mailNodes';

export class MailActions {
  constructor(
    private readonly mail: LoadedMail,
    private readonly sessions: AccountSessions,
  ) {}

  /** Keeps a search's results in the tree, under its account (shown again after a refresh, searched anew). */
  addSearch(account: string, words: string[], folder?: FolderPath): SearchNode {
    const node = this.mail.node<SearchNode>({
      kind: 'search',
      key: keys.search(account, folder, words),
      account,
      words,
      folder,
      folderName: folder ? this.mail.folderOf(account, folder)?.name : undefined,
    });
    this.mail.searches.add(node);
    this.mail.fire(this.mail.nodes.get(keys.account(account)));
    return node;
  }

  removeSearch(node: SearchNode): void {
    this.mail.searches.remove(node);
    this.mail.nodes.delete(node.key);
    this.mail.fire(this.mail.nodes.get(keys.account(node.account)));
  }

  /** Appends the next page of a folder. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const key = keys.folder(node.account, node.folder);
    const page = this.mail.pages.get(key);
    if (!page?.next) return;
    const mark = this.mail.removals.mark(key);
    const listed = await this.sessions.run(node.account, (backend) =>
      backend.listMessages(node.folder, { limit: this.mail.pageSize, after: page.next }),
    );
    const more = this.mail.removals.since(key, mark, listed);
    this.mail.pages.set(key, { messages: [...page.messages, ...more.messages], next: more.next, total: more.total });
    this.mail.fire(this.mail.nodes.get(key));
  }

  async setFlags(nodes: MessageNode[], change: FlagChange): Promise<void> {
    for (const [account, group] of byAccount(nodes)) {
      await this.sessions.run(account, (backend) =>
        backend.setFlags(
          group.map((node) => node.summary.ref),
          change,
        ),
      );
      for (const node of group) {
        const before = node.summary.flags.seen;
        node.summary.flags = { ...node.summary.flags, ...change };
        if (change.seen !== undefined && before !== change.seen)
          this.mail.adjustUnread(account, node.summary.ref.folder, change.seen ? -1 : 1);
        this.mail.fire(node);
      }
      this.mail.fireFolders(account, group);
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
      await this.afterRemoval(
        account,
        group.filter((node) => node.summary.ref.folder !== target),
      );
    }
  }

  private async afterRemoval(account: string, removed: MessageNode[]): Promise<void> {
    for (const node of removed) {
      const key = keys.folder(account, node.summary.ref.folder);
      this.mail.removals.noteRemoved(key, node.summary.ref.id);
      const page = this.mail.pages.get(key);
      if (page) {
        page.messages = page.messages.filter((summary) => summary.ref.id !== node.summary.ref.id);
        page.total = Math.max(0, page.total - 1);
      }
      this.mail.nodes.delete(node.key);
      this.mail.nodes.delete(keys.message(account, node.summary.ref.folder, node.summary.ref.id));
      this.mail.searches.drop(node.summary.ref);
    }
    // Sent messages joined into threads are read again: one of them may be among those removed.
    this.mail.joined.delete(account);
    // Counts of the target folder (Trash, or where the messages went) come from the server, not from guessing.
    this.mail.forgetFolders(
      account,
      this.mail.pages,
      new Set(removed.map((node) => keys.folder(account, node.summary.ref.folder))),
    );
    try {
      await this.mail.loadFolders(account);
    } catch {
      this.mail.folders.delete(account);
    }
    this.mail.fire(this.mail.nodes.get(keys.account(account)));
  }

  /** Marks every message of a folder read, on the server (or in the local store), then reloads its counts. */
  async markFolderRead(account: string, path: FolderPath): Promise<void> {
    await this.sessions.run(account, (backend) => backend.markFolderRead(path));
    for (const summary of this.mail.pages.get(keys.folder(account, path))?.messages ?? []) {
      summary.flags = { ...summary.flags, seen: true };
      const node = this.mail.nodes.get(keys.message(account, path, summary.ref.id));
      if (node) this.mail.fire(node);
    }
    await this.mail.loadFolders(account).catch(() => this.mail.folders.delete(account));
    this.mail.fire(this.mail.nodes.get(keys.account(account)));
  }
}

function byAccount(nodes: MessageNode[]): Map<string, MessageNode[]> {
  const groups = new Map<string, MessageNode[]>();
  for (const node of nodes) groups.set(node.account, [...(groups.get(node.account) ?? []), node]);
  return groups;
}
