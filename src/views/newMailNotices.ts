// "New mail from <sender>: <subject>" with Open, for mail that arrives while Letterbox watches (IMAP IDLE, a POP3
// check, a folder's count growing). Several arriving together in one folder become one notice. Which folders:
// newMailPolicy.ts (Inbox only by default, the Inbox and chosen folders, every folder, or none).
import type { AccountSessions } from '../accounts/accountSessions';
import type { Settings } from '../accounts/settings';
import type { FolderPath, MessageSummary } from '../mail/types';
import { Disposable } from '../util/disposable';
import { showInfo } from '../util/notify';
import type { MessageNode } from '../mailbox/mailNodes';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import { displayName } from './mailTreePresentation';
import { noticeWanted } from './newMailPolicy';

/** Arrivals within this long of each other are said together. */
const GROUP_MS = 1_500;

export interface NewMailNoticesDeps {
  model: MailTreeModel;
  sessions: AccountSessions;
  settings: Settings;
  open: (node: MessageNode) => Promise<void>;
  /** Shows a folder in the Mail view. */
  tree: { revealFolder(account: string, folder: FolderPath): Promise<void> };
}

export class NewMailNotices extends Disposable {
  private readonly pending = new Map<
    string,
    { folder: FolderPath; arrived: MessageSummary[]; timer: NodeJS.Timeout }
  >();

  constructor(private readonly deps: NewMailNoticesDeps) {
    super();
    this._register(
      deps.model.onDidReceiveMail(({ account, folder, arrived }) => this.arrived(account, folder, arrived)),
    );
    this._register({ dispose: () => this.pending.forEach((entry) => clearTimeout(entry.timer)) });
  }

  private arrived(account: string, folder: FolderPath, arrived: MessageSummary[]): void {
    const known = this.deps.model.folderOf(account, folder);
    if (!noticeWanted(this.deps.settings, known ?? { path: folder, name: folder })) return;
    const key = `${account}\n${folder}`;
    const entry = this.pending.get(key);
    if (entry) {
      entry.arrived.push(...arrived);
      return;
    }
    this.pending.set(key, {
      folder,
      arrived: [...arrived],
      timer: setTimeout(() => void this.tell(key, account), GROUP_MS),
    });
  }

  private async tell(key: string, account: string): Promise<void> {
    const entry = this.pending.get(key);
    this.pending.delete(key);
    if (!entry) return;
    const { folder, arrived } = entry;
    const label = this.deps.sessions.account(account)?.label ?? account;
    if (arrived.length === 1) {
      const [summary] = arrived;
      const sender = summary.from[0] ? displayName(summary.from[0]) : 'an unknown sender';
      const choice = await showInfo(`New mail from ${sender}: ${summary.subject || '(no subject)'}`, 'Open');
      if (choice === 'Open') await this.deps.open(this.deps.model.messageNodeForSummary(summary));
      return;
    }
    const where = this.deps.model.folderOf(account, folder)?.name ?? folder;
    const choice = await showInfo(`${arrived.length} new messages in ${where} of ${label}`, 'Show');
    if (choice === 'Show') await this.deps.tree.revealFolder(account, folder);
  }
}
