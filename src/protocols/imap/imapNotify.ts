// Every folder's counts on one connection: IMAP NOTIFY (RFC 5465) asks the server to report new mail, expunges
// and flag changes in all personal folders while the connection idles, so a folder filled by a server-side rule
// (Sieve, a Gmail filter) shows its new mail within seconds, without a connection per folder. The server's STATUS
// answers are taken as a sign only: the caller reads the counts themselves with one LIST-STATUS, so nothing here
// depends on how fully a server words them. A server without NOTIFY is told apart ('unsupported'), and the caller
// polls instead.
import type { FolderChange, Unsubscribe } from '../../mail/mailBackend';
import { MailError } from '../../mail/mailError';
import { COUNTS_FOLDER } from '../../mail/mailBackend';
import type { WatchContext } from './imapWatch';
import { toMailError } from './imapErrors';

/** imapflow sends NOTIFY through its generic command path, which its types do not declare. */
interface ImapflowInternals {
  /** Resolves with the tagged answer, whose `next` must be called or imapflow reads nothing more. */
  exec(command: string, attributes: unknown[]): Promise<{ next?: () => void }>;
  untaggedHandlers: Record<string, ((untagged: unknown) => Promise<void>) | undefined>;
}

/** STATUS answers that come together (one delivery touches several folders) are reported once. */
const SETTLE_MS = 300;
/**
 * A NOTIFY connection sends nothing while nothing happens (RFC 5465 needs no IDLE: the server speaks when it has
 * news); a NOOP this often keeps NAT and firewalls from forgetting it, and finds a connection that died silently.
 */
const KEEPALIVE_MS = 4 * 60_000;

export async function watchCounts(
  context: Omit<WatchContext, 'nameOf' | 'pollMs'>,
  onChange: (change: FolderChange) => void,
  onLost?: (error: MailError) => void,
): Promise<Unsubscribe> {
  const { client } = await context.open();
  const { watchers, server } = context;
  if (!client.capabilities.has('NOTIFY')) {
    void client.logout().catch(() => client.close());
    throw new MailError('unsupported', `${server.host} does not offer IMAP NOTIFY (RFC 5465); counts are polled`);
  }
  watchers.add(client);
  let disposed = false;
  let settle: NodeJS.Timeout | undefined;
  let keepAlive: NodeJS.Timeout | undefined = undefined;
  const internals = client as unknown as ImapflowInternals;
  internals.untaggedHandlers.STATUS = async () => {
    if (disposed || settle) return;
    settle = setTimeout(() => {
      settle = undefined;
      if (!disposed) onChange({ folder: COUNTS_FOLDER, kind: 'counts' });
    }, SETTLE_MS);
  };
  client.once('close', () => {
    watchers.delete(client);
    clearTimeout(settle);
    clearInterval(keepAlive);
    if (disposed || context.closed()) return;
    disposed = true;
    context.log.warn('the connection watching every folder (NOTIFY) closed');
    onLost?.(new MailError('network', `the connection to ${server.host} that watches every folder was lost`));
  });
  const atom = (value: string) => ({ type: 'ATOM', value });
  try {
    // No STATUS indicator: the counts are read right after this, so the answers for every folder now would be noise.
    const answer = await internals.exec('NOTIFY', [
      atom('SET'),
      [atom('personal'), [atom('MessageNew'), atom('MessageExpunge'), atom('FlagChange')]],
    ]);
    answer.next?.();
  } catch (error) {
    disposed = true;
    watchers.delete(client);
    client.close();
    throw toMailError(error, 'cannot watch every folder (NOTIFY)', server);
  }
  keepAlive = setInterval(() => {
    // A failed NOOP closes the connection, and 'close' above reports the loss.
    if (!disposed) client.noop().catch(() => client.close());
  }, KEEPALIVE_MS);
  keepAlive.unref?.();
  return {
    dispose: () => {
      disposed = true;
      clearInterval(keepAlive);
      clearTimeout(settle);
      watchers.delete(client);
      internals.untaggedHandlers.STATUS = undefined;
      void client.logout().catch(() => client.close());
    },
  };
}
