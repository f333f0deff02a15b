// Installs Debian's Dovecot packages when they are missing, so `npm test` works on a fresh machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

export const DOVECOT_BINARY = '/usr/sbin/dovecot';
const PROTOCOL_BINARIES = ['/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3'];
const PACKAGES = ['dovecot-imapd', 'dovecot-pop3d'];

export function dovecotInstalled(): boolean {
  return existsSync(DOVECOT_BINARY) && PROTOCOL_BINARIES.every((path) => existsSync(path));
}

export function ensureDovecotInstalled(): void {
  if (dovecotInstalled()) return;
  if (userInfo().uid !== 0) {
    throw new Error(`Dovecot is not installed and this user cannot install it. Run: sudo apt-get install ${PACKAGES.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', ...PACKAGES], { env, encoding: 'utf8' });
  let result = install();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    execFileSync('apt-get', ['update', '-q'], { env, stdio: 'pipe' });
    result = install();
  }
  if (result.status !== 0 || !dovecotInstalled()) {
    throw new Error(`apt-get could not install ${PACKAGES.join(' ')}: ${result.stderr}`);
  }
}
