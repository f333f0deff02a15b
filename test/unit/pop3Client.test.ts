// The POP3 client and sync against a scripted server, for what a real Dovecot cannot be made to do.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { silentLogger } from '../../src/mail/logger';
import type { Security } from '../../src/mail/types';
import { Pop3Client } from '../../src/protocols/pop3/pop3Client';
import { Pop3Session } from '../../src/protocols/pop3/pop3Session';
import { MessageStore } from '../../src/store/messageStore';
import { mimeReading } from '../../src/protocols/mime/messageReading';
import { syncPop3 } from '../../src/sync/pop3Sync';
import { fakePop3Servers, type FakeMailbox, type FakePop3Server } from '../fakes/fakePop3';
import { mailRejection } from '../support/mailAssertions';

const servers = fakePop3Servers();
const fake = (mailbox: FakeMailbox) => servers.start(mailbox);
const dirs: string[] = [];
after(async () => {
  await servers.stopAll();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type ConnectOptions = { password?: string; security?: Security; replyMs?: number; commandMs?: number };

function connectOptions(server: FakePop3Server, options: ConnectOptions = {}) {
  return {
    server: { host: '127.0.0.1', port: server.port, security: options.security ?? 'none', user: 'alice' },
    password: options.password ?? 'secret',
    log: silentLogger,
    timeouts: { connectMs: 2_000, replyMs: options.replyMs ?? 2_000, commandMs: options.commandMs ?? 5_000 },
  } as const;
}

function connect(server: FakePop3Server, options: ConnectOptions = {}): Promise<Pop3Client> {
  return Pop3Client.connect(connectOptions(server, options));
}

function session(server: FakePop3Server, options: ConnectOptions = {}): Promise<Pop3Session> {
  return Pop3Session.open(connectOptions(server, options));
}

const MESSAGE = 'Subject: dots\r\n\r\n.\r\n..\r\n.hidden\r\nlast line\r\n';

describe('POP3 client against a scripted server', () => {
  test('a whole session works when every reply arrives one byte at a time', async () => {
    const server = await fake({ messages: [MESSAGE, 'Subject: two\r\n\r\nbody\r\n'], trickle: true });
    const client = await connect(server);
    assert.deepEqual(await client.uidl(), [
      { number: 1, uid: 'uid-1' },
      { number: 2, uid: 'uid-2' },
    ]);
    assert.deepEqual(await client.list(), [
      { number: 1, size: MESSAGE.length },
      { number: 2, size: 'Subject: two\r\n\r\nbody\r\n'.length },
    ]);
    const chunks: Buffer[] = [];
    await client.retr(1, (chunk) => chunks.push(chunk));
    assert.equal(Buffer.concat(chunks).toString(), 'Subject: dots\n\n.\n..\n.hidden\nlast line\n');
    await client.quit();
    assert.ok(server.received.includes('PASS secret'), 'USER/PASS is used when the server offers no SASL');
  });

  test("-ERR in mid-session rejects that command with the server's words and the session goes on", async () => {
    const server = await fake({ messages: [MESSAGE] });
    const client = await connect(server);
    await assert.rejects(
      client.retr(7, () => undefined),
      /no such message/,
    );
    await client.noop();
    assert.equal((await client.stat()).count, 1);
    await client.quit();
  });

  test('a reply that never ends times out with kind network instead of hanging', async () => {
    const server = await fake({
      messages: [MESSAGE],
      override: (line) => (line === 'RETR 1' ? '+OK\r\nstarted but never finished\r\n' : undefined),
    });
    const client = await connect(server, { replyMs: 300 });
    const started = Date.now();
    const error = await mailRejection(client.retr(1, () => undefined));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /did not answer RETR 1 within/);
    assert.ok(Date.now() - started < 2_000);
  });

  test('a connection cut in the middle of RETR fails the command with kind network', async () => {
    const cut = { server: undefined as FakePop3Server | undefined };
    const server = await fake({
      messages: [MESSAGE],
      override: (line) => {
        if (line !== 'RETR 1') return undefined;
        setTimeout(() => void cut.server?.stop(), 50);
        return '+OK\r\nhalf a mess';
      },
    });
    cut.server = server;
    const client = await connect(server);
    const error = await mailRejection(client.retr(1, () => undefined));
    assert.equal(error.kind, 'network');
  });

  test("a wrong password fails with kind auth and the server's reason", async () => {
    const server = await fake({ messages: [] });
    const error = await mailRejection(connect(server, { password: 'wrong' }));
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /rejected the user name or password for "alice" \(\[AUTH\] invalid password\)/);
  });

  test('STLS required but not offered fails with kind tls before any credential is sent', async () => {
    const server = await fake({ messages: [] });
    const error = await mailRejection(connect(server, { security: 'starttls' }));
    assert.equal(error.kind, 'tls');
    assert.match(error.message, /does not offer STLS/);
    assert.ok(!server.received.some((line) => /^(USER|PASS|AUTH)/.test(line)), server.received.join(' | '));
  });

  test('a server without UIDL cannot leave mail on the server, and says what to choose instead', async () => {
    const server = await fake({ messages: [MESSAGE], uidl: false });
    const store = await openStore();
    const error = await mailRejection(
      syncPop3({
        open: () => session(server),
        store,
        policy: { leaveOnServer: true, deleteWhenDeletedLocally: false },
        log: silentLogger,
      }),
    );
    assert.equal(error.kind, 'unsupported');
    assert.match(error.message, /does not support UIDL.*delete mail from the server after downloading it/);
    assert.equal(store.messages().length, 0);
  });

  test('without UIDL, download-and-delete stores each message once even when QUIT never arrived', async () => {
    const messages = ['Subject: a\r\nMessage-ID: <a@x>\r\n\r\na\r\n', 'Subject: b\r\nMessage-ID: <b@x>\r\n\r\nb\r\n'];
    const policy = { leaveOnServer: false, deleteWhenDeletedLocally: false };
    const store = await openStore();
    // First run: QUIT is lost, so the server deletes nothing.
    const lossy = await fake({ messages, uidl: false, override: (line) => (line === 'QUIT' ? 'hang' : undefined) });
    await syncPop3({ open: () => session(lossy, { replyMs: 300 }), store, policy, log: silentLogger }).catch(
      () => undefined,
    );
    assert.equal(lossy.quitCompleted, false);
    // Second run: the same messages are still there; they must not be stored again.
    const server = await fake({ messages, uidl: false });
    const report = await syncPop3({ open: () => session(server), store, policy, log: silentLogger });
    assert.deepEqual(report, { downloaded: 0, deletedFromServer: 2, onServer: 0, skipped: [] });
    assert.deepEqual([...server.deleted].sort(), [1, 2]);
    assert.deepEqual(
      store
        .messages()
        .map((m) => m.summary.subject)
        .sort(),
      ['a', 'b'],
    );
  });

  for (const pipelining of [true, false]) {
    test(`RETRs are ${pipelining ? 'pipelined when the server offers PIPELINING' : 'sent one at a time when it does not'}`, async () => {
      const messages = Array.from({ length: 5 }, (_, i) => `Subject: ${i}\r\n\r\n${i}\r\n`);
      const server = await fake({ messages, pipelining, delayFirstRetrMs: 150 });
      const store = await openStore();
      await syncPop3({
        open: () => session(server),
        store,
        policy: { leaveOnServer: true, deleteWhenDeletedLocally: false },
        log: silentLogger,
      });
      assert.equal(store.messages().length, 5);
      const firstReply = server.events.indexOf('sent RETR 1');
      const sentEarly = server.events.slice(0, firstReply).filter((event) => event.startsWith('recv RETR')).length;
      assert.equal(sentEarly, pipelining ? 5 : 1, server.events.join(' | '));
    });
  }
});

async function openStore(): Promise<MessageStore> {
  const dir = mkdtempSync(join(tmpdir(), 'letterbox-unit-store-'));
  dirs.push(dir);
  return MessageStore.open(dir, silentLogger, mimeReading);
}

/** Fails the test instead of hanging when the client under test never gives up. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)),
  ]);
}

describe('POP3 client memory and time stay bounded', () => {
  test('an endless UIDL listing fails naming the command once it passes 32 MB, instead of filling memory', async () => {
    const line = Buffer.from('1 endless-uid-endless-uid-endless-uid-endless-uid-endless-uid\r\n');
    const server = await fake({
      messages: [MESSAGE],
      raw: (command, socket) => {
        if (command !== 'UIDL') return false;
        socket.write('+OK\r\n');
        const chunk = Buffer.concat(Array.from({ length: 16_384 }, () => line));
        let sent = 0;
        const pump = () => {
          // 40 MB at most, then stop: the server end of the test is bounded too.
          while (!socket.destroyed && sent < 40 * 1024 * 1024) {
            sent += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
        };
        pump();
        return true;
      },
    });
    const client = await connect(server, { replyMs: 5_000 });
    const error = await mailRejection(within(20_000, client.uidl()));
    assert.equal(error.kind, 'protocol');
    assert.match(error.message, /reply to UIDL: the reply was longer than the 33554432 bytes/);
  });

  test('a RETR far longer than LIST said is cut, naming the command', async () => {
    const server = await fake({
      messages: [MESSAGE],
      override: (line) => (line === 'RETR 1' ? `+OK\r\n${'x'.repeat(200_000)}\r\n.\r\n` : undefined),
    });
    const client = await connect(server);
    const error = await mailRejection(
      within(
        5_000,
        client.retr(1, () => undefined, MESSAGE.length),
      ),
    );
    assert.match(error.message, /reply to RETR 1: the reply was longer than/);
  });

  test('a reply that trickles a byte now and then still meets an overall deadline', async () => {
    const server = await fake({
      messages: [MESSAGE],
      raw: (command, socket) => {
        if (command !== 'LIST') return false;
        socket.write('+OK\r\n');
        const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write('1')), 100);
        socket.on('close', () => clearInterval(timer));
        return true;
      },
    });
    const client = await connect(server, { replyMs: 1_000, commandMs: 1_500 });
    const started = Date.now();
    const error = await mailRejection(within(8_000, client.list()));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /did not finish its reply to LIST within 2 s/);
    assert.ok(Date.now() - started < 4_000);
  });
});
