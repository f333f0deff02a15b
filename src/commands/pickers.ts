// Quick picks for the palette: an account, a folder, a message. Each returns undefined when the user cancels.
import { showPick } from '../util/quickPick';
import type { AccountSessions } from '../accounts/accountSessions';
import type { FolderPath } from '../mail/types';
import type { FolderNode, MessageNode } from '../mailbox/mailNodes';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import { pickFolder } from '../views/folderPicker';
import { displayName, shortDate } from '../views/mailTreePresentation';

export async function pickAccount(sessions: AccountSessions, placeHolder: string): Promise<string | undefined> {
  const accounts = sessions.accounts();
  if (accounts.length <= 1) return accounts[0]?.id;
  const picked = await showPick(
    accounts.map((account) => ({
      label: account.label,
      description: `${account.protocol.toUpperCase()} · ${account.host}`,
      id: account.id,
    })),
    { placeHolder },
  );
  return picked?.id;
}

/** A folder of the account (with its unread count), as the tree's node. */
export async function pickFolderNode(
  model: MailTreeModel,
  account: string,
  placeHolder: string,
): Promise<FolderNode | undefined> {
  const path = await pickFolder(model, account, { placeHolder, unread: true });
  return typeof path === 'string' ? model.folderNodeOf(account, path) : undefined;
}

/** The newest messages of a folder (a page, as the tree loads it), filterable by subject and sender. */
export async function pickMessage(
  model: MailTreeModel,
  folder: FolderNode,
  placeHolder: string,
): Promise<MessageNode | undefined> {
  const messages = (await model.children(folder)).filter((node): node is MessageNode => node.kind === 'message');
  const now = new Date();
  const picked = await showPick(
    messages.map((node) => ({
      icon: node.summary.flags.seen ? undefined : 'circle-filled',
      label: node.summary.subject || '(no subject)',
      description: [
        node.summary.from[0] ? displayName(node.summary.from[0]) : '',
        node.summary.date ? shortDate(node.summary.date, now) : '',
      ]
        .filter(Boolean)
        .join(' · '),
      node,
    })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.node;
}

/** Account, then folder, then message: the palette's way to any message. */
export async function pickMessageAnywhere(
  sessions: AccountSessions,
  model: MailTreeModel,
  placeHolder: string,
  folderPath?: FolderPath,
): Promise<MessageNode | undefined> {
  const account = await pickAccount(sessions, 'Which account?');
  if (!account) return undefined;
  const folder = folderPath
    ? await model.folderNodeOf(account, folderPath)
    : await pickFolderNode(model, account, 'Which folder?');
  return folder ? pickMessage(model, folder, placeHolder) : undefined;
}
