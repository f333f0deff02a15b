// Connecting to a real Dovecot: both TLS modes, certificate trust by pin, and every way a connection can fail.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DovecotServer } from '../servers/dovecot';
import { mailRejection } from '../support/mailAssertions';
import { freePort } from '../servers/ports';
import { collectingLogger, imapBackend } from './imapHelpers';
import { waitFor } from '../support/waitFor';

let server: DovecotServer;
let clearTextServer: DovecotServer;

before(async () => {
  [server, clearTextServer] = await Promise.all([DovecotServer.start(), DovecotServer.start({ ssl: false })]);
});
after(async () => {
  await Promise.all([server?.stop(), clearTextServer?.stop()]);
});

describe('IMAP connection', () => {
  test('implicit TLS to a pinned self-signed certificate logs in and logs out', async () => {
    const user = server.addUser();
    const backend = imapBackend(server, user);
    await backend.connect();
    await backend.close();
    await waitFor(
      () => server.log().includes(`imap(${user.user})`) && /Logged out/.test(server.log()),
      'the LOGOUT in the server log',
    );
  });

  test('STARTTLS upgrades before login and works with the pinned certificate', async () => {
    const user = server.addUser();
    const backend = imapBackend(server, user, { port: server.ports.imap, security: 'starttls' });
    const folders = await backend.listFolders();
    assert.ok(folders.some((folder) => folder.specialUse === 'inbox'));
    await backend.close();
    assert.match(loginLine(server, user.user), /TLS/);
  });

  for (const security of ['tls', 'starttls'] as const) {
    test(`an untrusted self-signed certificate fails with kind tls naming host and fingerprint (${security})`, async () => {
      const user = server.addUser();
      const port = security === 'tls' ? server.ports.imaps : server.ports.imap;
      const backend = imapBackend(server, user, { port, security, pinnedCertificateSha256: undefined });
      const error = await mailRejection(backend.connect());
      assert.equal(error.kind, 'tls');
      assert.match(error.message, /127\.0\.0\.1/);
      assert.ok(error.message.includes(server.certificate.sha256), error.message);
      assert.match(error.message, /self-signed/);
      assert.equal(error.certificate?.sha256, server.certificate.sha256);
      // The password never went to the untrusted server: Dovecot saw no login attempt from this user.
      assert.ok(!server.log().includes(`user=<${user.user}>`), 'no authentication may happen before trust');
      await backend.close();
    });
  }

  test('a certificate other than the pinned one is refused', async () => {
    const user = server.addUser();
    const wrongPin = server.certificate.sha256.replace(/^[0-9A-F]{2}/, (hex) => (hex === '00' ? '11' : '00'));
    const error = await mailRejection(imapBackend(server, user, { pinnedCertificateSha256: wrongPin }).connect());
    assert.equal(error.kind, 'tls');
    assert.match(error.message, /not the certificate pinned/);
  });

  test('a pin pasted in lower case without colons is still recognised', async () => {
    const user = server.addUser();
    const pasted = server.certificate.sha256.replace(/:/g, '').toLowerCase();
    const backend = imapBackend(server, user, { pinnedCertificateSha256: pasted });
    await backend.connect();
    await backend.close();
  });

  test('a wrong password fails with kind auth and says so', async () => {
    const user = server.addUser();
    const error = await mailRejection(imapBackend(server, { ...user, password: 'not-the-password' }).connect());
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /rejected the user name or password/);
    assert.ok(error.message.includes(user.user));
  });

  test('a closed port fails with kind network', async () => {
    const user = server.addUser();
    const port = await freePort();
    const error = await mailRejection(imapBackend(server, user, { port }).connect());
    assert.equal(error.kind, 'network');
    assert.match(error.message, /connection refused/);
    assert.ok(error.message.includes(String(port)));
  });

  test('STARTTLS required but not offered fails with kind tls and never logs in over clear text', async () => {
    const user = clearTextServer.addUser();
    const backend = imapBackend(clearTextServer, user, { port: clearTextServer.ports.imap, security: 'starttls' });
    const error = await mailRejection(backend.connect());
    assert.equal(error.kind, 'tls');
    assert.match(error.message, /does not offer STARTTLS/);
    assert.ok(!clearTextServer.log().includes(`user=<${user.user}>`), 'the password must not be sent in clear text');
  });

  test('security "none" is honoured only because the account asks for it', async () => {
    const user = clearTextServer.addUser();
    const backend = imapBackend(clearTextServer, user, { port: clearTextServer.ports.imap, security: 'none' });
    const folders = await backend.listFolders();
    assert.ok(folders.length > 0);
    await backend.close();
  });

  test('the protocol log never contains the password', async () => {
    const user = server.addUser();
    const log = collectingLogger();
    const backend = imapBackend(server, user, {}, log);
    await backend.listFolders();
    await backend.close();
    assert.ok(log.lines.length > 5, 'the protocol log should have lines');
    assert.ok(
      log.lines.every((line) => !line.includes(user.password)),
      'password leaked into the log',
    );
    assert.ok(
      log.lines.every((line) => line.includes(`[imap:test-${user.user}]`)),
      'every line carries the account tag',
    );
  });
});

function loginLine(server: DovecotServer, user: string): string {
  return (
    server
      .log()
      .split('\n')
      .find((line) => line.includes('Login:') && line.includes(`user=<${user}>`)) ?? ''
  );
}
