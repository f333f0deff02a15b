// Notify of New Mail Here / Stop Notifying Here on a folder: they edit the user's own letterbox.notifyFolders (and
// turn letterbox.newMailNotifications to "chosen" where it named only the Inbox, or nothing), so the choice is one
// click and stays visible, and editable, in the settings.
import * as vscode from 'vscode';
import type { Settings } from '../accounts/settings';
import type { Logger } from '../mail/logger';
import type { FolderNode, MailNode } from '../mailbox/mailNodes';
import { showInfo, showWarning } from '../util/notify';
import { guarded } from '../util/reportError';
import { chosenForNotices } from '../views/newMailPolicy';
import { accountIdOf, treeItemVanished } from './commandArguments';

export interface NoticeCommandDeps {
  settings: Settings;
  log: Logger;
  /** The folder's node was redrawn (its menu changes). */
  redraw(node: MailNode): void;
}

export function registerNoticeCommands(deps: NoticeCommandDeps): vscode.Disposable[] {
  const { settings } = deps;
  const onFolder = (id: string, run: (folder: FolderNode) => Promise<void>) =>
    vscode.commands.registerCommand(
      id,
      guarded(deps.log, accountIdOf, async (...args: unknown[]) => {
        if (treeItemVanished(args, 'folder')) return;
        const node = args[0] as MailNode | undefined;
        if (node?.kind !== 'folder') return;
        await run(node);
        deps.redraw(node);
      }),
    );

  return [
    onFolder('letterbox.notifyHere', async (node) => {
      if (!chosenForNotices(settings, node.folder))
        await settings.update('notifyFolders', [...settings.get('notifyFolders'), node.folder.path]);
      const mode = settings.get('newMailNotifications');
      if (mode === 'inbox' || mode === 'off') {
        await settings.update('newMailNotifications', 'chosen');
        if (mode === 'off')
          void showInfo(
            `New mail notices were off; now they are on for your Inbox and ${node.folder.name} (letterbox.newMailNotifications: chosen).`,
          );
      }
    }),
    onFolder('letterbox.stopNotifyingHere', async (node) => {
      if (settings.get('newMailNotifications') === 'all') {
        const choice = await showWarning(
          `Every folder's new mail is announced (letterbox.newMailNotifications: all). To leave ${node.folder.name} out, announce only chosen folders.`,
          'Only Chosen Folders',
        );
        if (choice !== 'Only Chosen Folders') return;
        await settings.update('newMailNotifications', 'chosen');
      }
      const path = node.folder.path.toLowerCase();
      const name = node.folder.name.toLowerCase();
      await settings.update(
        'notifyFolders',
        settings.get('notifyFolders').filter((entry) => ![path, name].includes(entry.trim().toLowerCase())),
      );
    }),
  ];
}
