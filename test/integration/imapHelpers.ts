import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { mailBackendFactory } from '../../src/accounts/backendFactory';
import type { Logger } from '../../src/mail/logger';
import type { ServerSettings } from '../../src/mail/types';
import { ImapBackend } from '../../src/protocols/imap/imapBackend';
import type { DovecotServer, TestUser } from '../servers/dovecot';
import { dovecotSettings } from '../servers/serverSettings';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';

/** A logger that keeps every line, so tests can assert on what would reach the output channel. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return {
    lines,
    trace: keep('trace'),
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

/** Settings for the test server over implicit TLS, trusting its self-signed certificate by pin. */
export function imapsSettings(
  server: DovecotServer,
  user: TestUser,
  overrides: Partial<ServerSettings> = {},
): ServerSettings {
  return dovecotSettings(server, user, 'imap', overrides);
}

export function imapBackend(
  server: DovecotServer,
  user: TestUser,
  overrides: Partial<ServerSettings> = {},
  log: Logger = collectingLogger(),
): ImapBackend {
  return new ImapBackend({
    account: `test-${user.user}`,
    server: imapsSettings(server, user, overrides),
    password: async () => user.password,
    log,
    timeouts: { connectMs: 5_000, greetingMs: 5_000, socketMs: 20_000 },
  });
}

/**
 * A VS Code window as far as the IMAP cache sees it: account sessions and a tree model over one storage folder
 * (what survives a restart of VS Code), with 50 MB of opened messages kept. Reconnects wait a minute, so a test
 * decides when the server is asked again.
 */
export function cacheWindow(
  server: DovecotServer,
  user: TestUser,
  storage: string,
  account: Partial<AccountConfig> & { id: string },
) {
  const log = collectingLogger();
  const config: AccountConfig = {
    label: 'Cached',
    email: '',
    protocol: 'imap',
    ...dovecotSettings(server, user, 'imap'),
    ...account,
  };
  const sessions = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: user.password }) },
    log,
    createBackend: mailBackendFactory({ log, storageRoot: storage, bodyCacheBytes: () => 50 * 1024 * 1024 }),
    reconnect: { firstMs: 60_000, maxMs: 60_000, jitter: 0 },
  });
  sessions.update([config]);
  return { sessions, model: new MailTreeModel(sessions), account: config, log };
}
