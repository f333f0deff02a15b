// Quick picks for the palette: an account, a folder, a message. Each returns undefined when the user cancels.
import { showPick } from '../util/quickPick';
import type { AccountSessions } from '../accounts/accountSessions';
import type { FolderPath } from '../mail/types';
import type { FolderNode, MessageNode, ThreadNode } from '../mailbox/mailNodes';
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
  // A folder shown as threads lists each thread's messages in its place (the folder's own, not joined replies).
  const messages = (await model.children(folder)).flatMap((node): MessageNode[] =>
    node.kind === 'message'
      ? [node]
      : node.kind === 'thread'
        ? model.threadMessages(node).filter((message) => !message.joinedFrom)
        : [],
  );
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

/** A thread (or a lone message) of a folder shown as threads, newest activity first. */
export async function pickThread(
  model: MailTreeModel,
  folder: FolderNode,
  placeHolder: string,
): Promise<ThreadNode | MessageNode | undefined> {
  const threads = (await model.children(folder)).filter(
    (node): node is ThreadNode | MessageNode => node.kind === 'thread' || node.kind === 'message',
  );
  const now = new Date();
  const picked = await showPick(
    threads.map((node) => {
      const thread = node.kind === 'thread' ? node.thread : undefined;
      const summary = node.kind === 'message' ? node.summary : undefined;
      const latest = thread?.latest ?? summary?.date;
      return {
        icon: (thread ? thread.unread : !summary?.flags.seen) ? 'circle-filled' : undefined,
        label: (thread?.subject ?? summary?.subject ?? '') || '(no subject)',
        description: [
          thread ? `${thread.messages.length} messages` : '',
          (thread?.participants ?? summary?.from ?? []).map(displayName).slice(0, 3).join(', '),
          latest ? shortDate(latest, now) : '',
        ]
          .filter(Boolean)
          .join(' · '),
        node,
      };
    }),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.node;
}
