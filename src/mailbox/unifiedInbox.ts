// "All Inboxes": every account's Inbox in one list, newest first, above the accounts, when the user turns it on.
// Each row is its account's message (actions go to that account's server or store); an account that is offline
// or failing says so in a line of its own while the others keep working; threads stay in each account's Inbox.
import type { AccountSessions } from '../accounts/accountSessions';
import type { Folder, MessagePage, MessageSummary } from '../mail/types';
import type { LoadedMail } from './loadedMail';
import { keys, type FolderNode, type MailNode, type NoticeNode, type UnifiedNode } from './mailNodes';

export interface InboxPages {
  /** A folder's loaded page, loading it if needed, or why it cannot be loaded (mailTreeStructure.ts). */
  pageOf(node: FolderNode): Promise<MessagePage | NoticeNode>;
}

export class UnifiedInbox {
  constructor(
    private readonly mail: LoadedMail,
    private readonly sessions: AccountSessions,
    private readonly pages: InboxPages,
    private readonly enabled: () => boolean,
  ) {}

  /** The node above the accounts, when All Inboxes is on. */
  roots(): UnifiedNode[] {
    if (!this.enabled() || !this.sessions.accounts().length) return [];
    return [this.mail.node<UnifiedNode>({ kind: 'unified', key: keys.unified(), account: '' })];
  }

  async children(node: UnifiedNode): Promise<MailNode[]> {
    const inboxes = await Promise.all(this.sessions.accounts().map((account) => this.inboxOf(account.id)));
    const notices = inboxes.flatMap((inbox) => (inbox.notice ? [inbox.notice] : []));
    const messages = inboxes
      .flatMap((inbox) => inbox.messages)
      .sort((a, b) => timeOf(b) - timeOf(a))
      .map((summary) => this.mail.listedNodeFor(node, summary));
    if (!messages.length && !notices.length)
      return [this.mail.notice('', undefined, 'unified-empty', 'No messages in any Inbox')];
    return [...notices, ...messages];
  }

  /** One account's part: its Inbox's loaded messages, and a line when it is offline or failing. */
  private async inboxOf(account: string): Promise<{ messages: MessageSummary[]; notice?: NoticeNode }> {
    const label = this.sessions.account(account)?.label ?? account;
    let folders: Folder[] | undefined = this.mail.folders.get(account);
    if (!folders) {
      const cached = this.sessions.hasLocalStore(account)
        ? undefined
        : await this.sessions
            .cacheOf(account)
            ?.folders()
            .catch(() => undefined);
      folders = cached ?? (await this.mail.loadFolders(account).catch(() => undefined));
      if (cached) this.mail.folders.set(account, cached);
    }
    const inbox = folders?.find((folder) => folder.specialUse === 'inbox');
    const state = this.sessions.status(account).state;
    if (!inbox) {
      const why = this.sessions.status(account).error?.message ?? 'its folders could not be listed';
      return { messages: [], notice: this.line(account, `${label}: ${why}`) };
    }
    const page = await this.pages.pageOf(this.mail.folderNode(account, inbox));
    if ('kind' in page) return { messages: [], notice: this.line(account, `${label}: ${page.text}`) };
    const away = state === 'offline' || state === 'error';
    return {
      messages: page.messages,
      notice: away ? this.line(account, `${label} is ${state}: its Inbox shows as last seen`) : undefined,
    };
  }

  private line(account: string, text: string): NoticeNode {
    return this.mail.notice(account, undefined, 'unified', text);
  }
}

function timeOf(summary: MessageSummary): number {
  return summary.date?.getTime() ?? 0;
}
