// Message commands from the tree (single or multi-select) and the palette: open, mark, flag, delete, move, copy
// the sender, view the source, load more.
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { Logger } from '../mail/logger';
import { guarded } from '../util/reportError';
import { messageSourceUri } from '../views/messageDocuments';
import type { LoadMoreNode, MailNode, MessageNode } from '../views/model/mailNodes';
import type { MailTreeModel } from '../views/model/mailTreeModel';
import { selectedMessages } from './commandArguments';
import { showWarning, showInfo } from '../util/notify';

export interface MessageCommandDeps {
  sessions: AccountSessions;
  model: MailTreeModel;
  view: vscode.TreeView<MailNode>;
  log: Logger;
  /** Shows one message in the reading panel. */
  open: (node: MessageNode) => Promise<void>;
}

export function registerMessageCommands(deps: MessageCommandDeps): vscode.Disposable[] {
  const { model, view, log } = deps;
  const onMessages = (id: string, run: (messages: MessageNode[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, guarded(log, (node?: MailNode) => node?.account ?? view.selection[0]?.account, async (node?: MailNode, nodes?: readonly MailNode[]) => {
      const messages = selectedMessages(view, node, nodes);
      if (!messages.length) {
        void showInfo('Select one or more messages in the Mail view first.');
        return;
      }
      await run(messages);
    }));

  return [
    onMessages('letterbox.openMessage', async ([message]) => deps.open(message)),
    onMessages('letterbox.markRead', (messages) => model.setFlags(messages, { seen: true })),
    onMessages('letterbox.markUnread', (messages) => model.setFlags(messages, { seen: false })),
    onMessages('letterbox.flag', (messages) => model.setFlags(messages, { flagged: true })),
    onMessages('letterbox.unflag', (messages) => model.setFlags(messages, { flagged: false })),
    onMessages('letterbox.deleteMessage', async (messages) => {
      if (await deletesForGood(deps, messages)) {
        const answer = await showWarning(
          messages.length === 1 ? `Delete "${messages[0].summary.subject || '(no subject)'}" for good?` : `Delete ${messages.length} messages for good?`,
          { modal: true, detail: 'They are in Trash already; this cannot be undone.' }, 'Delete');
        if (answer !== 'Delete') return;
      }
      await model.delete(messages);
    }),
    onMessages('letterbox.moveMessage', async (messages) => {
      const account = messages[0].account;
      if (messages.some((message) => message.account !== account)) {
        void showWarning('Messages of different accounts cannot be moved together.');
        return;
      }
      const current = new Set(messages.map((message) => message.summary.ref.folder));
      const targets = (await model.moveTargets(account)).filter((folder) => !(current.size === 1 && current.has(folder.path)));
      const picked = await vscode.window.showQuickPick(
        targets.map((folder) => ({ label: folder.path, description: folder.specialUse ?? '', path: folder.path })),
        { placeHolder: `Move ${messages.length === 1 ? 'the message' : `${messages.length} messages`} to…` });
      if (picked) await model.move(messages, picked.path);
    }),
    onMessages('letterbox.copySenderAddress', async ([message]) => {
      const sender = message.summary.from[0]?.address;
      if (!sender) {
        void showInfo('This message has no sender address.');
        return;
      }
      await vscode.env.clipboard.writeText(sender);
      vscode.window.setStatusBarMessage(`Copied ${sender}`, 3000);
    }),
    onMessages('letterbox.viewSource', async ([message]) => {
      const document = await vscode.workspace.openTextDocument(messageSourceUri(message.summary.ref, message.summary.subject));
      await vscode.window.showTextDocument(document, { preview: true });
    }),
    vscode.commands.registerCommand('letterbox.loadMore', guarded(log, (node?: LoadMoreNode) => node?.account, async (node?: LoadMoreNode) => {
      if (node?.kind === 'loadMore') await model.loadMore(node);
    })),
  ];
}

/** Deleting inside a Trash folder removes messages for good (IMAP expunge, POP3 purge). */
async function deletesForGood(deps: MessageCommandDeps, messages: MessageNode[]): Promise<boolean> {
  for (const message of messages) {
    const folders = await deps.model.moveTargets(message.account).catch(() => []);
    const folder = folders.find((candidate) => candidate.path === message.summary.ref.folder);
    if (folder?.specialUse === 'trash' || !folders.some((candidate) => candidate.specialUse === 'trash')) return true;
  }
  return false;
}
