// Threads: show a folder as threads or as messages, and act on a whole thread (mark read or unread, delete, move,
// open as a conversation) from the tree, the panels or the palette. A lone message counts as a thread of one.
import * as vscode from 'vscode';
import type { AccountSessions } from '../accounts/accountSessions';
import type { Logger } from '../mail/logger';
import type { FolderNode, MailNode, MessageNode, ThreadNode } from '../mailbox/mailNodes';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import { guarded } from '../util/reportError';
import type { MessageActions } from '../views/messageActions';
import { accountIdOf, chooseAccount, treeItemVanished } from './commandArguments';
import { pickFolderNode, pickThread } from './pickers';

export interface ThreadCommandDeps {
  sessions: AccountSessions;
  model: MailTreeModel;
  actions: MessageActions;
  view: vscode.TreeView<MailNode>;
  log: Logger;
  /** Shows a thread's messages in one conversation panel. */
  openConversation: (thread: ThreadNode | MessageNode) => Promise<void>;
  /** The thread or message of the active panel, if one is active. */
  activeThread: () => ThreadNode | MessageNode | undefined;
}

type ThreadTarget = ThreadNode | MessageNode;

export function registerThreadCommands(deps: ThreadCommandDeps): vscode.Disposable[] {
  const { model, actions, view, log } = deps;

  /** A message shown in a thread stands for its thread; a lone one for itself. */
  const threadOf = (node: MailNode | undefined): ThreadTarget | undefined =>
    node?.kind === 'thread' ? node : node?.kind === 'message' ? (model.threadOf(node) ?? node) : undefined;

  /** The argument (the tree), else the active panel, else the tree's selection, else a pick. */
  async function target(node: MailNode | undefined, verb: string): Promise<ThreadTarget | undefined> {
    const chosen = threadOf(node) ?? threadOf(deps.activeThread()) ?? threadOf(view.selection[0]);
    if (chosen) return chosen;
    const account = await chooseAccount(deps.sessions, view, undefined, 'Which account?');
    const folder = account ? await pickFolderNode(model, account, 'Which folder?') : undefined;
    if (!folder) return undefined;
    if (!model.isThreaded(folder.account, folder.folder.path)) await model.setThreaded(folder, true);
    return pickThread(model, folder, `Which thread do you want to ${verb}?`);
  }

  /** Every message of the thread, or only the folder's own (not the user's replies joined from Sent). */
  const messagesOf = (thread: ThreadTarget, own = false): MessageNode[] => {
    const all = thread.kind === 'thread' ? model.threadMessages(thread) : [thread];
    return own ? all.filter((message) => !message.joinedFrom) : all;
  };

  const onThread = (id: string, verb: string, run: (thread: ThreadTarget) => Promise<unknown>) =>
    vscode.commands.registerCommand(
      id,
      guarded(
        log,
        (node?: unknown) => accountIdOf(node) ?? deps.activeThread()?.account ?? view.selection[0]?.account,
        async (...args: unknown[]) => {
          if (treeItemVanished(args, 'thread')) return;
          const thread = await target(args[0] as MailNode | undefined, verb);
          if (thread) await run(thread);
        },
      ),
    );

  const showAs =
    (threaded: boolean) =>
    async (...args: unknown[]) => {
      if (treeItemVanished(args, 'folder')) return;
      const folder = await folderTarget(deps, args[0] as MailNode | undefined);
      if (folder) await model.setThreaded(folder, threaded);
    };

  return [
    vscode.commands.registerCommand('letterbox.showThreads', guarded(log, accountIdOf, showAs(true))),
    vscode.commands.registerCommand('letterbox.showMessages', guarded(log, accountIdOf, showAs(false))),
    onThread('letterbox.openThread', 'open', (thread) => deps.openConversation(thread)),
    onThread('letterbox.markThreadRead', 'mark as read', async (thread) => {
      const unread = messagesOf(thread).filter((message) => !message.summary.flags.seen);
      if (unread.length) await actions.setSeen(unread, true);
    }),
    onThread('letterbox.markThreadUnread', 'mark as unread', async (thread) => {
      const read = messagesOf(thread, true).filter((message) => message.summary.flags.seen);
      if (read.length) await actions.setSeen(read, false);
    }),
    // Delete and move take the folder's own messages: the user's replies stay in Sent, where they belong.
    onThread('letterbox.deleteThread', 'delete', (thread) => actions.delete(messagesOf(thread, true))),
    onThread('letterbox.moveThread', 'move', (thread) => actions.move(messagesOf(thread, true))),
  ];
}

/** The folder an argument names (a folder, or where a thread or message is), else the selection's, else a pick. */
async function folderTarget(deps: ThreadCommandDeps, node: MailNode | undefined): Promise<FolderNode | undefined> {
  const given = node ?? deps.view.selection[0];
  if (given?.kind === 'folder') return given;
  const path =
    given?.kind === 'thread' ? given.folder : given?.kind === 'message' ? given.summary.ref.folder : undefined;
  if (given && path !== undefined) return deps.model.folderNodeOf(given.account, path);
  const account = await chooseAccount(deps.sessions, deps.view, undefined, 'Which account?');
  if (!account) return undefined;
  return pickFolderNode(deps.model, account, 'Which folder?');
}
