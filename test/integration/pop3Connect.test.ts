// Connecting to Dovecot's POP3: the same trust rules and error kinds as IMAP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DovecotServer } from '../servers/dovecot';
import { mailRejection } from '../support/mailAssertions';
import { freePort } from '../servers/ports';
import { collectingLogger } from './imapHelpers';
import { pop3Fixture, removeStores } from './pop3Helpers';

let server: DovecotServer;
let clearTextServer: DovecotServer;
before(async () => {
  [server, clearTextServer] = await Promise.all([DovecotServer.start(), DovecotServer.start({ ssl: false })]);
});
after(async () => {
  await Promise.all([server?.stop(), clearTextServer?.stop()]);
  removeStores();
});

describe('POP3 connection', () => {
  for (const security of ['tls', 'starttls'] as const) {
    test(`an untrusted certificate fails with kind tls, host and fingerprint, before any login (${security})`, async () => {
      const user = server.addUser();
      const port = security === 'tls' ? server.ports.pop3s : server.ports.pop3;
      const { backend } = pop3Fixture(server, user, { server: { port, security, pinnedCertificateSha256: undefined } });
      const error = await mailRejection(backend.connect());
      assert.equal(error.kind, 'tls');
      assert.ok(error.message.includes(server.certificate.sha256), error.message);
      assert.match(error.message, /127\.0\.0\.1.*self-signed/);
      assert.ok(!server.log().includes(`user=<${user.user}>`), 'no credentials may reach an untrusted server');
    });
  }

  test('the pinned certificate is accepted and the account check passes', async () => {
    const user = server.addUser();
    const log = collectingLogger();
    await pop3Fixture(server, user, { log }).backend.connect();
    assert.ok(log.lines.some((line) => line.includes('C: QUIT')));
    assert.ok(
      log.lines.every((line) => !line.includes(user.password)),
      'the password never reaches the log',
    );
  });

  test('a wrong password fails with kind auth', async () => {
    const user = server.addUser();
    const { backend } = pop3Fixture(server, { ...user, password: 'wrong' });
    const error = await mailRejection(backend.connect());
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /rejected the user name or password/);
  });

  test('a closed port fails with kind network', async () => {
    const user = server.addUser();
    const port = await freePort();
    const error = await mailRejection(pop3Fixture(server, user, { server: { port } }).backend.connect());
    assert.equal(error.kind, 'network');
    assert.match(error.message, /connection refused/);
  });

  test('STLS required on a server without TLS fails with kind tls and sends no password', async () => {
    const user = clearTextServer.addUser();
    const { backend } = pop3Fixture(clearTextServer, user, {
      server: { port: clearTextServer.ports.pop3, security: 'starttls' },
    });
    const error = await mailRejection(backend.connect());
    assert.equal(error.kind, 'tls');
    assert.match(error.message, /does not offer STLS/);
    assert.ok(!clearTextServer.log().includes(`user=<${user.user}>`));
  });

  test('a sync that cannot connect leaves the local store as it was', async () => {
    const user = server.addUser();
    const fixture = pop3Fixture(server, { ...user, password: 'wrong' });
    await mailRejection(fixture.backend.sync());
    assert.deepEqual(
      (await fixture.backend.listFolders()).map((folder) => folder.total),
      [0, 0],
    );
  });
});
