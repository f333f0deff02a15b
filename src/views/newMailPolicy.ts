// Which folders' new mail is announced (letterbox.newMailNotifications and letterbox.notifyFolders): one rule for
// the notices themselves, for the model (which fetches the new mail of an unloaded folder only where it will be
// announced) and for the folder menu (Notify of New Mail Here / Stop Notifying Here). VS Code-free.
import type { SettingValues } from '../accounts/settingsTable';
import type { Folder } from '../mail/types';

export interface NoticeSettings {
  get<K extends 'newMailNotifications' | 'notifyFolders'>(key: K): SettingValues[K];
}

export function isInbox(folder: Pick<Folder, 'path' | 'specialUse'>): boolean {
  return folder.specialUse === 'inbox' || folder.path.toUpperCase() === 'INBOX';
}

/** Whether the folder is named in letterbox.notifyFolders (by path or by name, either case). */
export function chosenForNotices(settings: NoticeSettings, folder: Pick<Folder, 'path' | 'name'>): boolean {
  const wanted = new Set(settings.get('notifyFolders').map((entry) => entry.trim().toLowerCase()));
  return wanted.has(folder.path.toLowerCase()) || wanted.has(folder.name.toLowerCase());
}

export function noticeWanted(settings: NoticeSettings, folder: Pick<Folder, 'path' | 'name' | 'specialUse'>): boolean {
  switch (settings.get('newMailNotifications')) {
    case 'off':
      return false;
    case 'all':
      return true;
    case 'inbox':
      return isInbox(folder);
    case 'chosen':
      return isInbox(folder) || chosenForNotices(settings, folder);
  }
}
