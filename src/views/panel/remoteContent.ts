// Senders whose remote content (images, fonts, styles) always loads: kept in the user's own settings. The setting
// is application-scoped and only its global value is read (settingsTable.ts: scope user), so a repository cannot
// allow trackers for the user.
import type { Settings } from '../../accounts/settings';

export function senderAllowed(settings: Settings, address: string | undefined): boolean {
  if (!address) return false;
  return settings
    .get('remoteContent.allowedSenders')
    .some((entry) => entry.trim().toLowerCase() === address.trim().toLowerCase());
}

export async function allowSender(settings: Settings, address: string): Promise<void> {
  if (senderAllowed(settings, address)) return;
  await settings.update('remoteContent.allowedSenders', [
    ...settings.get('remoteContent.allowedSenders'),
    address.trim().toLowerCase(),
  ]);
}
