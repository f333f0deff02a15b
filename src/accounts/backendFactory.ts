// The one place that knows which backend serves which protocol. Everything above it holds a MailBackend and asks
// its capabilities; tests hand AccountSessions a factory of their own (an in-memory fake backend).
import { join, relative, isAbsolute } from 'node:path';
import type { Logger } from '../mail/logger';
import type { MailBackend } from '../mail/mailBackend';
import { ImapBackend } from '../protocols/imap/imapBackend';
import { BodyCache } from '../store/bodyCache';
import { ImapCache } from '../store/imapCache';
import { CachedImapBackend } from '../sync/cachedImapBackend';
import { Pop3Backend } from '../sync/pop3Backend';
import { DEFAULT_POP3_POLICY } from '../sync/pop3Policy';
import { idProblem, type AccountConfig } from './accountConfig';

export type BackendFactory = (account: AccountConfig, password: () => Promise<string>) => MailBackend;

export interface MailBackendFactoryOptions {
  log: Logger;
  /** Where accounts keep what is on disk: POP3 stores, IMAP caches (one folder per account id). */
  storageRoot: string;
  /** The most bytes of opened IMAP messages kept for offline reading (0: none). */
  bodyCacheBytes?: () => number;
  /** How often a watched IMAP folder is polled on a server without IDLE. */
  pollMs?: () => number;
}

export function mailBackendFactory(options: MailBackendFactoryOptions): BackendFactory {
  return (account, password) => {
    if (account.protocol === 'imap') {
      const imap = new ImapBackend({ account: account.id, server: account, password, log: options.log, pollMs: options.pollMs });
      const root = accountStorePath(options.storageRoot, account.id);
      return new CachedImapBackend(imap, new ImapCache(join(root, 'cache')), new BodyCache(join(root, 'bodies'), options.bodyCacheBytes ?? (() => 0)), options.log);
    }
    return new Pop3Backend({
      account: account.id,
      server: account,
      password,
      log: options.log,
      storeRoot: accountStorePath(options.storageRoot, account.id),
      policy: account.pop3 ?? DEFAULT_POP3_POLICY,
    });
  };
}

/** The account's own folder under `root`; an id that would lead anywhere else is refused, not followed. */
export function accountStorePath(root: string, id: string): string {
  const problem = idProblem(id);
  const path = join(root, encodeURIComponent(id));
  const inside = relative(root, path);
  if (problem || !inside || inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`the account id "${id}" cannot name a folder of its own${problem ? `: ${problem}` : ''}`);
  }
  return path;
}
