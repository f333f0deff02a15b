// Palette commands about folders and accounts: open any message, go to a folder, check mail, mark a folder read.
import * as vscode from 'vscode';
import { showPick } from '../util/quickPick';
import type { AccountSessions } from '../accounts/accountSessions';
import type { Logger } from '../mail/logger';
import { guarded } from '../util/reportError';
import type { FolderNode, MailNode, MessageNode } from '../mailbox/mailNodes';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import { accountIdOf, treeItemVanished } from './commandArguments';
import { pickAccount, pickFolderNode, pickMessageAnywhere } from './pickers';

/** What the palette's mail and search commands work with. */
export interface MailCommandDeps {
  sessions: AccountSessions;
  model: MailTreeModel;
  view: vscode.TreeView<MailNode>;
  log: Logger;
  open: (node: MessageNode) => Promise<void>;
}

export function registerMailCommands(deps: MailCommandDeps): vscode.Disposable[] {
  const { sessions, model, view, log } = deps;
  const command = (id: string, run: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, guarded(log, accountIdOf, run));

  /** A folder from the tree (argument or selection), else one the user picks. */
  async function folderTarget(arg: unknown, placeHolder: string): Promise<FolderNode | undefined> {
    const given = (arg as MailNode | undefined) ?? view.selection[0];
    if (given?.kind === 'folder') return given;
    const account = given?.account ?? (await pickAccount(sessions, 'Which account?'));
    return account ? pickFolderNode(model, account, placeHolder) : undefined;
  }

  return [
    command('letterbox.openMessageFrom', async () => {
      const message = await pickMessageAnywhere(sessions, model, 'Which message do you want to open? (type to filter)');
      if (message) await deps.open(message);
    }),
    command('letterbox.goToFolder', async () => {
      const account = await pickAccount(sessions, 'Which account?');
      const folder = account ? await pickFolderNode(model, account, 'Go to which folder?') : undefined;
      if (folder) await view.reveal(folder, { select: true, focus: true, expand: true });
    }),
    command('letterbox.checkMail', async () => {
      const accounts = sessions.accounts();
      if (!accounts.length) return;
      const all = { icon: 'mail', label: 'All accounts', id: '' };
      const picked =
        accounts.length === 1
          ? { id: accounts[0].id }
          : await showPick(
              [
                all,
                ...accounts.map((account) => ({
                  label: account.label,
                  description: account.protocol.toUpperCase(),
                  id: account.id,
                })),
              ],
              { placeHolder: 'Check which account for new mail?' },
            );
      if (!picked) return;
      const ids = picked.id ? [picked.id] : accounts.map((account) => account.id);
      // Accounts that download mail check now (once: the tree does not check again after it); server accounts
      // reload what the tree shows.
      await Promise.all(ids.map((id) => (sessions.hasLocalStore(id) ? model.checkLocalStore(id) : model.refresh(id))));
    }),
    command('letterbox.markFolderRead', async (...args: unknown[]) => {
      if (treeItemVanished(args, 'folder')) return;
      const folder = await folderTarget(args[0], 'Mark which folder as read?');
      if (folder) await model.markFolderRead(folder.account, folder.folder.path);
    }),
  ];
}
