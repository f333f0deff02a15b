// The one folder picker: Go to Folder, Open Message…, Mark Folder as Read, Move to… and Search's scope all ask
// with it, so a folder looks the same in each (the tree's name, its real path beside it where that says more).
import type { Folder, FolderPath } from '../mail/types';
import { showPick } from '../util/quickPick';
import type { MailTreeModel } from '../mailbox/mailTreeModel';
import { pathBesideName } from './mailTreePresentation';

export interface FolderPickOptions {
  placeHolder: string;
  /** Offer "All folders" first (Search); picking it resolves to ALL_FOLDERS. */
  allFolders?: boolean;
  /** Show each folder's unread count beside it. */
  unread?: boolean;
  /** Folders not to offer (Move to…: the folder the messages are in). */
  except?: (folder: Folder) => boolean;
}

export const ALL_FOLDERS = Symbol('all folders');

/** A folder path of `account`, ALL_FOLDERS, or undefined when the user cancelled. */
export async function pickFolder(
  model: MailTreeModel,
  account: string,
  options: FolderPickOptions,
): Promise<FolderPath | typeof ALL_FOLDERS | undefined> {
  const folders = (await model.moveTargets(account)).filter((folder) => !options.except?.(folder));
  const picked = await showPick(
    [
      ...(options.allFolders
        ? [{ icon: 'folder-library', label: 'All folders', path: ALL_FOLDERS as FolderPath | typeof ALL_FOLDERS }]
        : []),
      ...folders.map((folder) => ({
        label: folder.name,
        description: [options.unread && folder.unread ? `${folder.unread} unread` : '', pathBesideName(folder)]
          .filter(Boolean)
          .join(' · '),
        path: folder.path as FolderPath | typeof ALL_FOLDERS,
      })),
    ],
    { placeHolder: options.placeHolder, matchOnDescription: true },
  );
  return picked?.path;
}
