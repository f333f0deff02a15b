// Watching one folder for what changes in it elsewhere: a second connection that only idles (RFC 2177), so the
// working connection is never stuck in IDLE; on a server without IDLE imapflow polls with NOOP instead. A closed
// ImapFlow never comes back: its loss is said once, and the caller (accounts/supervisedWatch.ts) builds a new one.
import type { ImapFlow } from 'imapflow';
import type { Logger } from '../../mail/logger';
import type { FolderChange, Unsubscribe } from '../../mail/mailBackend';
import { MailError } from '../../mail/mailError';
import type { FolderPath, ServerSettings } from '../../mail/types';
import type { ImapSession } from './imapConnection';
import { toMailError } from './imapErrors';
import { toFlags } from './imapTranslate';

export interface WatchContext {
  /** Opens and authenticates an idling connection. */
  open(): Promise<ImapSession>;
  /** The backend's open watching connections, closed with it. */
  watchers: Set<ImapFlow>;
  /** Whether the backend was closed (then a closing connection is not a loss). */
  closed(): boolean;
  server: ServerSettings;
  log: Logger;
  /** How often to poll (NOOP) on a server without IDLE. */
  pollMs?: () => number;
  nameOf(path: FolderPath): string;
}

export async function watchFolder(
  context: WatchContext,
  folder: FolderPath,
  onChange: (change: FolderChange) => void,
  onLost?: (error: MailError) => void,
): Promise<Unsubscribe> {
  const { client } = await context.open();
  const { watchers, server } = context;
  watchers.add(client);
  let disposed = false;
  client.on('exists', (event: { count: number; prevCount: number }) =>
    onChange(
      event.count > event.prevCount
        ? { folder, kind: 'arrived', count: event.count - event.prevCount }
        : { folder, kind: 'unknown' },
    ),
  );
  client.on('expunge', () => onChange({ folder, kind: 'removed' }));
  client.on('flags', (event: { uid?: number; flags: Set<string> }) =>
    onChange({
      folder,
      kind: 'flags',
      id: event.uid === undefined ? undefined : String(event.uid),
      flags: toFlags(event.flags),
    }),
  );
  // A closed ImapFlow never comes back: say so once, and let the caller build a new watch when it sees fit.
  client.once('close', () => {
    watchers.delete(client);
    if (disposed || context.closed()) return;
    disposed = true;
    context.log.warn(`the connection watching ${folder} closed`);
    onLost?.(new MailError('network', `the connection to ${server.host} that watches ${folder} for new mail was lost`));
  });
  // Without IDLE (RFC 2177) imapflow polls with NOOP instead; the account's interval decides how often.
  if (!client.capabilities.has('IDLE') && context.pollMs) client.maxIdleTime = Math.max(5_000, context.pollMs());
  try {
    await client.mailboxOpen(folder, { readOnly: true });
  } catch (error) {
    disposed = true;
    watchers.delete(client);
    client.close();
    throw toMailError(error, `cannot watch folder ${context.nameOf(folder)}`, server);
  }
  return {
    dispose: () => {
      disposed = true;
      watchers.delete(client);
      client.removeAllListeners('exists').removeAllListeners('expunge').removeAllListeners('flags');
      void client.logout().catch(() => client.close());
    },
  };
}
