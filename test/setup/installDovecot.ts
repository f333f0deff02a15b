// Installs Debian's Dovecot packages when they are missing, so `npm test` works on a fresh machine.
import { existsSync } from 'node:fs';
import { aptInstall } from './aptPackages';

export const DOVECOT_BINARY = '/usr/sbin/dovecot';
const PROTOCOL_BINARIES = ['/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3'];
const PACKAGES = ['dovecot-imapd', 'dovecot-pop3d'];

export function dovecotInstalled(): boolean {
  return existsSync(DOVECOT_BINARY) && PROTOCOL_BINARIES.every((path) => existsSync(path));
}

export function ensureDovecotInstalled(): void {
  if (dovecotInstalled()) return;
  aptInstall(PACKAGES, 'The integration tests');
  if (!dovecotInstalled())
    throw new Error(`apt-get installed ${PACKAGES.join(' ')}, but Dovecot's binaries are still missing`);
}
