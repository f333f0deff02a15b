// Starts a private Dovecot (Debian's dovecot-imapd and dovecot-pop3d) on loopback high ports with its own config,
// certificate and Maildir under a temp dir, so integration tests talk to a real IMAP and POP3 server. Each test
// adds a fresh user instead of cleaning up (imapflow's own live tests use the same trick).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  openSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { makeSelfSignedCertificate, type TestCertificate } from './certificate';
import { DOVECOT_BINARY, ensureDovecotInstalled } from '../setup/installDovecot';
import { freePort } from './ports';

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
  /**
   * Replaces the IMAP capabilities advertised after login, to play an older server (one without MOVE or UIDPLUS).
   * Dovecot still understands every command; the client just must not use what is not advertised.
   */
  imapCapabilities?: string;
  /**
   * Plays the layout of Courier, older Cyrus and many hosts: personal folders under the namespace prefix "INBOX."
   * with "." as separator (INBOX.Sent, INBOX.Trash), as RFC 2342 NAMESPACE reports it.
   */
  inboxPrefix?: boolean;
  /**
   * Also accepts OAuth2 access tokens (SASL XOAUTH2 and OAUTHBEARER, IMAP and POP3), checked by POSTing them to
   * this RFC 7662 introspection URL (a test's fake authorization server), which answers {active, username}.
   */
  oauth2IntrospectionUrl?: string;
}

export class DovecotServer {
  private constructor(
    readonly dir: string,
    readonly ports: DovecotPorts,
    readonly certificate: TestCertificate,
    private readonly passwdDir: string,
    private readonly mailRoot: string,
    readonly pidFile: string,
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
    const ports: DovecotPorts = {
      imap: await freePort(),
      imaps: await freePort(),
      pop3: await freePort(),
      pop3s: await freePort(),
    };
    const configPath = join(dir, 'dovecot.conf');
    writeFileSync(
      configPath,
      renderConfig({
        dir,
        mailRoot,
        passwdDir,
        certificate,
        ports,
        ssl,
        mailUser,
        imapCapabilities: options.imapCapabilities,
        inboxPrefix: options.inboxPrefix,
        oauth2IntrospectionUrl: options.oauth2IntrospectionUrl,
      }),
    );
    if (options.oauth2IntrospectionUrl)
      writeFileSync(
        join(dir, 'dovecot-oauth2.conf.ext'),
        [
          'introspection_mode = post',
          `introspection_url = ${options.oauth2IntrospectionUrl}`,
          'force_introspection = yes',
          'username_attribute = username',
          'active_attribute = active',
          'active_value = true',
          '',
        ].join('\n'),
      );
    // The daemon keeps inherited descriptors open, so a piped stdout would never close: its log file says all.
    const stderrPath = join(dir, 'startup-errors.log');
    const stderr = openSync(stderrPath, 'w');
    const result = spawnSync(DOVECOT_BINARY, ['-c', configPath], { stdio: ['ignore', 'ignore', stderr] });
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
      // The master writes its pid file after it opened the ports; stop() needs it.
      await waitUntil(() => existsSync(server.pidFile), 5_000, 'dovecot wrote no master.pid');
    } catch (error) {
      await server.stop();
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

  /**
   * Puts messages straight into a user's Inbox as Maildir files (what a local delivery agent does), far faster than
   * APPEND for the benchmarks' 10,000-message mailboxes. Dovecot gives new files UIDs in the order of the time in
   * their names, so UIDs follow the array; INTERNALDATE is the file's mtime, set to each message's date.
   */
  deliverToMaildir(user: TestUser, messages: Array<{ raw: Buffer; date: Date; seen?: boolean }>): void {
    const owner = mailIdentity();
    const home = dirname(user.maildir);
    for (const dir of [
      home,
      user.maildir,
      join(user.maildir, 'cur'),
      join(user.maildir, 'new'),
      join(user.maildir, 'tmp'),
    ]) {
      mkdirSync(dir, { recursive: true });
      chownSync(dir, owner.uid, owner.gid);
    }
    const base = 1_700_000_000;
    messages.forEach((message, i) => {
      const name = `${base + i}.M${i}P1.letterbox-bench,S=${message.raw.length}:2,${message.seen ? 'S' : ''}`;
      const file = join(user.maildir, 'cur', name);
      writeFileSync(file, message.raw);
      chownSync(file, owner.uid, owner.gid);
      utimesSync(file, message.date, message.date);
    });
  }

  /** The "Disconnected: Logged out ..." line Dovecot writes when the user's last session of `service` ended. */
  async sessionSummary(service: 'imap' | 'pop3', user: TestUser, timeoutMs = 3_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.log()
        .split('\n')
        .reverse()
        .find((entry) => entry.includes(`${service}(${user.user})`) && entry.includes('Disconnected'));
      if (line) return line;
      if (Date.now() > deadline) throw new Error(`Dovecot logged no ${service} logout for ${user.user}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  log(): string {
    return readLog(this.dir);
  }

  /**
   * Stops the server as a restart would (every connection dropped, nothing listening), runs `whileDown`, then starts
   * it again on the same ports with the same mail. For tests of what clients do when a server restarts.
   */
  async restart(whileDown: () => Promise<void> = async () => undefined): Promise<void> {
    await this.halt();
    await whileDown();
    // Processes of the old instance can hold its ports for a few seconds after the master is gone (seen once in a
    // clean-clone run: "Address already in use"): starting again is retried until they are free.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const result = spawnSync(DOVECOT_BINARY, ['-c', join(this.dir, 'dovecot.conf')], { stdio: 'ignore' });
      if (result.status === 0) break;
      if (Date.now() > deadline)
        throw new Error(`dovecot did not start again (exit ${result.status}): ${readLog(this.dir)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await waitForPort(this.ports.imap, 10_000);
    await waitForPort(this.ports.pop3, 10_000);
  }

  /** Stops exactly the Dovecot this object started, by the pid it wrote, and removes its directory. */
  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async halt(): Promise<void> {
    const pid = existsSync(this.pidFile) ? Number(readFileSync(this.pidFile, 'utf8').trim()) : 0;
    if (pid > 0 && isRunning(pid)) {
      process.kill(pid, 'SIGTERM');
      try {
        await waitUntil(() => !isRunning(pid), 5_000, 'dovecot did not stop');
      } catch {
        process.kill(pid, 'SIGKILL');
      }
    }
  }
}

function renderConfig(c: {
  dir: string;
  mailRoot: string;
  passwdDir: string;
  certificate: TestCertificate;
  ports: DovecotPorts;
  ssl: boolean;
  mailUser: { uid: number; gid: number; internal: string | undefined };
  imapCapabilities?: string;
  inboxPrefix?: boolean;
  oauth2IntrospectionUrl?: string;
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

auth_mechanisms = plain login${c.oauth2IntrospectionUrl ? ' xoauth2 oauthbearer' : ''}
mail_location = maildir:${c.mailRoot}/%u/Maildir
first_valid_uid = ${Math.min(c.mailUser.uid, 500) || 1}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${c.passwdDir}/%u
}
${c.oauth2IntrospectionUrl ? `passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = ${c.dir}/dovecot-oauth2.conf.ext\n}\n` : ''}
userdb {
  driver = static
  args = uid=${c.mailUser.uid} gid=${c.mailUser.gid} home=${c.mailRoot}/%u
}
namespace inbox {
  inbox = yes
${c.inboxPrefix ? '  prefix = INBOX.\n  separator = .\n' : '  separator = /\n'}${folder('Sent', 'Sent')}${folder('Drafts', 'Drafts')}${folder('Trash', 'Trash')}${folder('Junk', 'Junk')}${folder('Archive', 'Archive')}}
pop3_uidl_format = %08Xu%08Xv
${c.imapCapabilities ? `imap_capability = ${c.imapCapabilities}` : ''}
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

async function waitUntil(check: () => boolean, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The daemonised master is re-parented; where nothing reaps it, it lingers as a zombie, which counts as gone. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function readLog(dir: string): string {
  const path = join(dir, 'dovecot.log');
  return existsSync(path) ? readFileSync(path, 'utf8') : '(no log)';
}
