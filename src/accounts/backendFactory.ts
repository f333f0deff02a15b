// The one place that knows which backend serves which protocol. Everything above it holds a MailBackend and asks
// its capabilities; tests hand AccountSessions a factory of their own (an in-memory fake backend).
import { readdirSync, renameSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import type { AccessTokens } from '../mail/accessTokens';
import type { Logger } from '../mail/logger';
import type { MailBackend } from '../mail/mailBackend';
import { ImapBackend } from '../protocols/imap/imapBackend';
import { BodyCache } from '../store/bodyCache';
import { ImapCache } from '../store/imapCache';
import { CachedImapBackend } from '../sync/cachedImapBackend';
import { Pop3Backend } from '../sync/pop3Backend';
import { DEFAULT_POP3_POLICY } from '../sync/pop3Policy';
import { bindingOf, idProblem, type AccountConfig } from './accountConfig';

export type BackendFactory = (
  account: AccountConfig,
  password: () => Promise<string>,
  /** An OAuth2 account's tokens, signed in with instead of the password. */
  tokens?: AccessTokens,
) => MailBackend;

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
  return (account, password, tokens) => {
    if (account.protocol === 'imap') {
      const imap = new ImapBackend({
        account: account.id,
        server: account,
        password,
        oauth: tokens,
        log: options.log,
        pollMs: options.pollMs,
      });
      const root = accountFolder(options.storageRoot, account.id);
      const owner = JSON.stringify(bindingOf(account));
      return new CachedImapBackend(
        imap,
        new ImapCache(join(root, 'cache')),
        new BodyCache(join(root, 'bodies'), options.bodyCacheBytes ?? (() => 0)),
        options.log,
        { root, owner },
      );
    }
    return new Pop3Backend({
      account: account.id,
      server: account,
      password,
      oauth: tokens,
      log: options.log,
      storeRoot: accountFolder(options.storageRoot, account.id),
      policy: account.pop3 ?? DEFAULT_POP3_POLICY,
    });
  };
}

/**
 * The account's own folder under `root`; an id that would lead anywhere else is refused, not followed. Its name is
 * unique regardless of case (macOS and Windows disks ignore it, so "Work" and "work" would share one folder): the
 * id percent-encoded, with every ASCII capital encoded too ("Work" -> "%57ork"), so a folded name decodes to one id.
 */
export function accountStorePath(root: string, id: string): string {
  const problem = idProblem(id);
  const path = join(root, folderName(id));
  const inside = relative(root, path);
  if (problem || !inside || inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`the account id "${id}" cannot name a folder of its own${problem ? `: ${problem}` : ''}`);
  }
  return path;
}

function folderName(id: string): string {
  return [...id]
    .map((char) =>
      /^[A-Z]$/.test(char) ? `%${char.charCodeAt(0).toString(16).toUpperCase()}` : encodeURIComponent(char),
    )
    .join('');
}

/**
 * accountStorePath, after moving a folder that an older version named by the id's case-sensitive form (an id with
 * capitals) to its new name. Only a folder whose name matches exactly is moved, never another account's.
 */
function accountFolder(root: string, id: string): string {
  const path = accountStorePath(root, id);
  const old = encodeURIComponent(id);
  if (old === folderName(id)) return path;
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return path;
  }
  if (names.includes(old) && !names.includes(folderName(id))) renameSync(join(root, old), path);
  return path;
}

/**
 * What is kept on disk follows the settings now, not at the next write: every IMAP account's kept bodies fit
 * `bodyBytes` (0: none are kept), and the caches of accounts no longer configured are deleted. Downloaded POP3
 * mail is never touched here: Remove Account asks about it.
 */
export async function boundCaches(root: string, accounts: readonly AccountConfig[], bodyBytes: number): Promise<void> {
  const configured = new Map(accounts.map((account) => [folderName(account.id), account]));
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const folder = join(root, name);
    const account = configured.get(name);
    if (!account) {
      await Promise.all(
        // 'oauth' holds only the lock that serialises token renewals across windows.
        ['cache', 'bodies', 'cache-owner.json', 'oauth'].map((part) =>
          rm(join(folder, part), { recursive: true, force: true, maxRetries: 3 }),
        ),
      );
    } else if (account.protocol === 'imap') {
      await new BodyCache(join(folder, 'bodies'), () => bodyBytes).enforceLimit();
    }
  }
}
