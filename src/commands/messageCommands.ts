// Message commands, from the tree (single or multi-select), a keybinding, the message panel or the palette. What
// they act on: the messages they were given (the tree), else the message of the active panel, else the tree's
// selection, else one the user picks (account, folder, message). Each one calls the shared MessageActions.
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { Logger } from '../mail/logger';
import { guarded } from '../util/reportError';
import type { MessageActions } from '../views/messageActions';
import type { LoadMoreNode, MailNode, MessageNode } from '../mailbox/mailNodes';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import { accountIdOf, treeItemVanished } from './commandArguments';
import { pickMessageAnywhere } from './pickers';

export interface MessageCommandDeps {
  sessions: AccountSessions;
  model: MailTreeModel;
  actions: MessageActions;
  view: vscode.TreeView<MailNode>;
  log: Logger;
  /** Shows one message in the reading panel. */
  open: (node: MessageNode) => Promise<void>;
  /** The message of the active message panel, if one is active. */
  activeMessage: () => MessageNode | undefined;
}

export function registerMessageCommands(deps: MessageCommandDeps): vscode.Disposable[] {
  const { model, actions, view, log } = deps;

  /** Args (the tree's multi-selection), else the active panel, else the tree's selection, else a pick. */
  async function targets(node?: MailNode, nodes?: readonly MailNode[], verb = 'act on'): Promise<MessageNode[]> {
    const given = (nodes?.length ? nodes : node ? [node] : []).filter(
      (item): item is MessageNode => item?.kind === 'message',
    );
    if (given.length) return given;
    const active = deps.activeMessage();
    if (active) return [active];
    const selected = view.selection.filter((item): item is MessageNode => item.kind === 'message');
    if (selected.length) return selected;
    const picked = await pickMessageAnywhere(deps.sessions, model, `Which message do you want to ${verb}?`);
    return picked ? [picked] : [];
  }

  const onMessages = (id: string, verb: string, run: (messages: MessageNode[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(
      id,
      guarded(
        log,
        (node?: unknown) => accountIdOf(node) ?? deps.activeMessage()?.account ?? view.selection[0]?.account,
        async (...args: unknown[]) => {
          if (treeItemVanished(args, 'message')) return;
          const [node, nodes] = args as [MailNode | undefined, readonly MailNode[] | undefined];
          const messages = await targets(node, nodes, verb);
          if (messages.length) await run(messages);
        },
      ),
    );

  /** The message before or after the active panel's, in the folder's list as the tree shows it. */
  const step = (offset: number) => async () => {
    const current = deps.activeMessage();
    if (!current) return;
    const list = model.loadedMessages(current.account, current.summary.ref.folder);
    const index = list.findIndex((candidate) => candidate.key === current.key);
    const next = index >= 0 ? list[index + offset] : undefined;
    if (next) await deps.open(next);
    else
      vscode.window.setStatusBarMessage(
        offset > 0 ? 'Letterbox: no older message loaded in this folder' : 'Letterbox: this is the newest message',
        3000,
      );
  };

  return [
    onMessages('letterbox.openMessage', 'open', async ([message]) => deps.open(message)),
    onMessages('letterbox.markRead', 'mark as read', (messages) => actions.setSeen(messages, true)),
    onMessages('letterbox.markUnread', 'mark as unread', (messages) => actions.setSeen(messages, false)),
    onMessages('letterbox.toggleRead', 'mark as read or unread', (messages) =>
      actions.setSeen(messages, !messages[0].summary.flags.seen),
    ),
    onMessages('letterbox.flag', 'flag', (messages) => actions.setFlagged(messages, true)),
    onMessages('letterbox.unflag', 'unflag', (messages) => actions.setFlagged(messages, false)),
    onMessages('letterbox.toggleFlag', 'flag or unflag', (messages) =>
      actions.setFlagged(messages, !messages[0].summary.flags.flagged),
    ),
    onMessages('letterbox.deleteMessage', 'delete', (messages) => actions.delete(messages)),
    onMessages('letterbox.moveMessage', 'move', (messages) => actions.move(messages)),
    onMessages('letterbox.copySenderAddress', 'copy the sender of', ([message]) => actions.copySender(message)),
    onMessages('letterbox.viewSource', 'view the source of', ([message]) => actions.viewSource(message)),
    onMessages('letterbox.saveMessageAs', 'save', ([message]) => saveMessageAs(deps, message)),
    vscode.commands.registerCommand(
      'letterbox.nextMessage',
      guarded(log, () => deps.activeMessage()?.account, step(1)),
    ),
    vscode.commands.registerCommand(
      'letterbox.previousMessage',
      guarded(log, () => deps.activeMessage()?.account, step(-1)),
    ),
    vscode.commands.registerCommand(
      'letterbox.loadMore',
      guarded(
        log,
        (node?: LoadMoreNode) => node?.account,
        async (node?: LoadMoreNode) => {
          if (node?.kind === 'loadMore') await model.loadMore(node);
        },
      ),
    ),
  ];
}

/** The raw message, byte for byte, as an .eml file any mail program opens. */
async function saveMessageAs(deps: MessageCommandDeps, message: MessageNode): Promise<void> {
  const name = `${
    (message.summary.subject.trim() || 'message')
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
      .trim()
      .slice(0, 80) || 'message'
  }.eml`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { 'E-mail message': ['eml'] },
    saveLabel: 'Save Message',
    title: `Save "${message.summary.subject || '(no subject)'}"`,
  });
  if (!target) return;
  const source = await deps.sessions.run(message.account, (backend) => backend.fetchSource(message.summary.ref));
  if (target.scheme === 'file') await writeFile(target.fsPath, source);
  else await vscode.workspace.fs.writeFile(target, source);
  vscode.window.setStatusBarMessage(`Saved ${name}`, 3000);
}
