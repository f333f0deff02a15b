// Starts a private Dovecot (Debian's dovecot-imapd and dovecot-pop3d) on loopback high ports with its own config,
// certificate and Maildir under a temp dir, so integration tests talk to a real IMAP and POP3 server. Each test
// adds a fresh user instead of cleaning up (imapflow's own live tests use the same trick).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { makeSelfSignedCertificate, type TestCertificate } from './certificate';
import { freePort } from './ports';

const DOVECOT = '/usr/sbin/dovecot';
const NEEDED = ['/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3'];

export interface DovecotPorts {
  imap: number;
  imaps: number;
  pop3: number;
  pop3s: number;
}

export interface TestUser {
  user: string;
  password: string;
  /** The user's Maildir on disk, for tests that check the server's view directly. */
  maildir: string;
}

export interface DovecotOptions {
  /** false starts a server that offers no TLS at all (no STARTTLS, no STLS, and nothing on the imaps/pop3s ports). */
  ssl?: boolean;
}

export class DovecotServer {
  private constructor(
    readonly dir: string,
    readonly ports: DovecotPorts,
    readonly certificate: TestCertificate,
    private readonly passwdDir: string,
    private readonly mailRoot: string,
    private readonly pidFile: string,
  ) {}

  readonly host = '127.0.0.1';

  static async start(options: DovecotOptions = {}): Promise<DovecotServer> {
    ensureDovecotInstalled();
    let lastError: unknown;
    // A port picked as free can be taken before Dovecot binds it; a second pick fixes that rare race.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await DovecotServer.startOnce(options);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  private static async startOnce(options: DovecotOptions): Promise<DovecotServer> {
    const ssl = options.ssl ?? true;
    const dir = mkdtempSync(join(tmpdir(), 'letterbox-dovecot-'));
    // Dovecot's auth and login processes run as unprivileged users and must traverse this tree.
    chmodSync(dir, 0o755);
    const mailRoot = join(dir, 'mail');
    mkdirSync(join(dir, 'run'), { recursive: true });
    mkdirSync(join(dir, 'state'), { recursive: true });
    mkdirSync(mailRoot, { recursive: true });
    const mailUser = mailIdentity();
    chownSync(mailRoot, mailUser.uid, mailUser.gid);
    // One passwd-file per user: Dovecot re-reads a changed passwd-file only when its mtime moves on, which two
    // users added within the same second would not do.
    const passwdDir = join(dir, 'users');
    mkdirSync(passwdDir, { mode: 0o755 });
    const certificate = makeSelfSignedCertificate(dir);
    chmodSync(certificate.keyPath, 0o600);
    const ports: DovecotPorts = { imap: await freePort(), imaps: await freePort(), pop3: await freePort(), pop3s: await freePort() };
    const configPath = join(dir, 'dovecot.conf');
    writeFileSync(configPath, renderConfig({ dir, mailRoot, passwdDir, certificate, ports, ssl, mailUser }));
    // The daemon keeps inherited descriptors open, so a piped stdout would never close: its log file says all.
    const stderrPath = join(dir, 'startup-errors.log');
    const stderr = openSync(stderrPath, 'w');
    const result = spawnSync(DOVECOT, ['-c', configPath], { stdio: ['ignore', 'ignore', stderr] });
    closeSync(stderr);
    if (result.status !== 0) {
      const why = readFileSync(stderrPath, 'utf8');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`dovecot failed to start (exit ${result.status}): ${why}`);
    }
    const server = new DovecotServer(dir, ports, certificate, passwdDir, mailRoot, join(dir, 'run', 'master.pid'));
    try {
      const listening = ssl ? Object.values(ports) : [ports.imap, ports.pop3];
      await Promise.all(listening.map((port) => waitForPort(port, 10_000)));
    } catch (error) {
      server.stop();
      throw new Error(`dovecot did not open its ports: ${String(error)}\nlog: ${readLog(dir)}`);
    }
    return server;
  }

  /** A fresh user with an empty mailbox; Dovecot re-reads the passwd-file when it changes. */
  addUser(prefix = 'user'): TestUser {
    const user = `${prefix}-${randomBytes(5).toString('hex')}`;
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    writeFileSync(join(this.passwdDir, user), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
    return { user, password, maildir: join(this.mailRoot, user, 'Maildir') };
  }

  log(): string {
    return readLog(this.dir);
  }

  /** Stops exactly the Dovecot this object started, by the pid it wrote. */
  stop(): void {
    if (existsSync(this.pidFile)) {
      const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
          waitForExit(pid, 5_000);
        } catch {
          // already gone
        }
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function renderConfig(c: {
  dir: string; mailRoot: string; passwdDir: string; certificate: TestCertificate; ports: DovecotPorts; ssl: boolean;
  mailUser: { uid: number; gid: number; internal: string | undefined };
}): string {
  const internal = c.mailUser.internal
    ? `default_internal_user = ${c.mailUser.internal}\ndefault_login_user = ${c.mailUser.internal}\n`
    : '';
  const tls = c.ssl
    ? `ssl = yes\nssl_cert = <${c.certificate.certPath}\nssl_key = <${c.certificate.keyPath}\n` +
      (existsSync('/usr/share/dovecot/dh.pem') ? 'ssl_dh = </usr/share/dovecot/dh.pem\n' : '')
    : 'ssl = no\n';
  const secure = (name: string, port: number) =>
    c.ssl ? `  inet_listener ${name} {\n    address = 127.0.0.1\n    port = ${port}\n    ssl = yes\n  }\n` : '';
  const folder = (name: string, use: string) =>
    `  mailbox ${name} {\n    special_use = \\${use}\n    auto = subscribe\n  }\n`;
  return `# Generated by test/servers/dovecot.ts for one test run.
base_dir = ${c.dir}/run
state_dir = ${c.dir}/state
log_path = ${c.dir}/dovecot.log
instance_name = letterbox-${c.ports.imap}
protocols = imap pop3
listen = 127.0.0.1
${internal}${tls}
# Tests exercise plain connections too, so plaintext LOGIN/USER is allowed on loopback.
disable_plaintext_auth = no
# Failed logins are answered at once, so wrong-password tests take milliseconds, not seconds.
auth_failure_delay = 0

auth_mechanisms = plain login
mail_location = maildir:${c.mailRoot}/%u/Maildir
first_valid_uid = ${Math.min(c.mailUser.uid, 500) || 1}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${c.passwdDir}/%u
}
userdb {
  driver = static
  args = uid=${c.mailUser.uid} gid=${c.mailUser.gid} home=${c.mailRoot}/%u
}
namespace inbox {
  inbox = yes
  separator = /
${folder('Sent', 'Sent')}${folder('Drafts', 'Drafts')}${folder('Trash', 'Trash')}${folder('Junk', 'Junk')}${folder('Archive', 'Archive')}}
pop3_uidl_format = %08Xu%08Xv
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${c.ports.imap}
  }
${secure('imaps', c.ports.imaps)}}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = ${c.ports.pop3}
  }
${secure('pop3s', c.ports.pop3s)}}
# Without this, anvil delays every later login from 127.0.0.1 by seconds after one wrong-password test.
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`;
}

/**
 * Who owns the mail. As root, Dovecot refuses UID 0 for mail, so mail belongs to 'nobody'; as an ordinary user,
 * every Dovecot process runs as that user.
 */
function mailIdentity(): { uid: number; gid: number; internal: string | undefined } {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, internal: me.username };
  return { uid: 65534, gid: 65534, internal: undefined };
}

export function ensureDovecotInstalled(): void {
  const missing = () => !existsSync(DOVECOT) || NEEDED.some((path) => !existsSync(path));
  if (!missing()) return;
  if (userInfo().uid !== 0) {
    throw new Error('Dovecot is not installed. Install it with: sudo apt-get install dovecot-imapd dovecot-pop3d');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', 'dovecot-imapd', 'dovecot-pop3d'], { env, encoding: 'utf8' });
  let result = install();
  if (result.status !== 0) {
    execFileSync('apt-get', ['update', '-q'], { env, stdio: 'pipe' });
    result = install();
  }
  if (result.status !== 0 || missing()) {
    throw new Error(`apt-get could not install dovecot-imapd and dovecot-pop3d: ${result.stderr}`);
  }
  // The Debian package starts a system-wide Dovecot where an init system exists; ours never needs it.
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', (error) => {
        socket.destroy();
        if (Date.now() > deadline) reject(error);
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function waitForExit(pid: number, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    spawnSync('sleep', ['0.05']);
  }
  process.kill(pid, 'SIGKILL');
}

function readLog(dir: string): string {
  const path = join(dir, 'dovecot.log');
  return existsSync(path) ? readFileSync(path, 'utf8').slice(-4000) : '(no log)';
}
