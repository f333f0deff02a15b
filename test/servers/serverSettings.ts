// How the engine reaches a test user on the private Dovecot: implicit TLS on its own port, trusting the server's
// self-signed certificate by pin, as a user who chose Trust Certificate would. One builder for every test.
import type { ServerSettings } from '../../src/mail/types';
import type { DovecotServer, TestUser } from './dovecot';

export function dovecotSettings(
  server: DovecotServer,
  user: TestUser,
  protocol: 'imap' | 'pop3',
  overrides: Partial<ServerSettings> = {},
): ServerSettings {
  return {
    host: server.host,
    port: protocol === 'imap' ? server.ports.imaps : server.ports.pop3s,
    security: 'tls',
    user: user.user,
    pinnedCertificateSha256: server.certificate.sha256,
    ...overrides,
  };
}
