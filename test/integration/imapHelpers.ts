import type { Logger } from '../../src/mail/logger';
import type { ServerSettings } from '../../src/mail/types';
import { ImapBackend } from '../../src/protocols/imap/imapBackend';
import type { DovecotServer, TestUser } from '../servers/dovecot';
import { dovecotSettings } from '../servers/serverSettings';

/** A logger that keeps every line, so tests can assert on what would reach the output channel. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, trace: keep('trace'), debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/** Settings for the test server over implicit TLS, trusting its self-signed certificate by pin. */
export function imapsSettings(server: DovecotServer, user: TestUser, overrides: Partial<ServerSettings> = {}): ServerSettings {
  return dovecotSettings(server, user, 'imap', overrides);
}

export function imapBackend(server: DovecotServer, user: TestUser, overrides: Partial<ServerSettings> = {}, log: Logger = collectingLogger()): ImapBackend {
  return new ImapBackend({
    account: `test-${user.user}`,
    server: imapsSettings(server, user, overrides),
    password: async () => user.password,
    log,
    timeouts: { connectMs: 5_000, greetingMs: 5_000, socketMs: 20_000 },
  });
}
