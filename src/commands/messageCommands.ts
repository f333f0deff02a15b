// Message commands from the tree (single or multi-select) and the palette: open, mark, flag, delete, move, copy
// the sender, view the source, load more. Each one is a call into the shared MessageActions.
import * as vscode from 'vscode';
import type { Logger } from '../mail/logger';
import { guarded } from '../util/reportError';
import { showInfo } from '../util/notify';
import type { MessageActions } from '../views/messageActions';
import type { LoadMoreNode, MailNode, MessageNode } from '../views/model/mailNodes';
import type { MailTreeModel } from '../views/model/mailTreeModel';
import { selectedMessages } from './commandArguments';

export interface MessageCommandDeps {
  model: MailTreeModel;
  actions: MessageActions;
  view: vscode.TreeView<MailNode>;
  log: Logger;
  /** Shows one message in the reading panel. */
  open: (node: MessageNode) => Promise<void>;
}

export function registerMessageCommands(deps: MessageCommandDeps): vscode.Disposable[] {
  const { model, actions, view, log } = deps;
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
    onMessages('letterbox.markRead', (messages) => actions.setSeen(messages, true)),
    onMessages('letterbox.markUnread', (messages) => actions.setSeen(messages, false)),
    onMessages('letterbox.flag', (messages) => actions.setFlagged(messages, true)),
    onMessages('letterbox.unflag', (messages) => actions.setFlagged(messages, false)),
    onMessages('letterbox.deleteMessage', (messages) => actions.delete(messages)),
    onMessages('letterbox.moveMessage', (messages) => actions.move(messages)),
    onMessages('letterbox.copySenderAddress', ([message]) => actions.copySender(message)),
    onMessages('letterbox.viewSource', ([message]) => actions.viewSource(message)),
    vscode.commands.registerCommand('letterbox.loadMore', guarded(log, (node?: LoadMoreNode) => node?.account, async (node?: LoadMoreNode) => {
      if (node?.kind === 'loadMore') await model.loadMore(node);
    })),
  ];
}
