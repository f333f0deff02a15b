// Fault injection: a proxy cuts the POP3 session after N bytes, for N spread over the whole session (greeting,
// login, UIDL, inside RETR bodies, between DELE and QUIT, inside the QUIT reply). After the cut syncs and one
// clean sync, the store must hold every server message exactly once, and the server what the policy says.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { POP3_INBOX } from '../../src/sync/pop3Backend';
import type { Pop3Policy } from '../../src/sync/pop3Policy';
import { CuttingProxy } from '../servers/cuttingProxy';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { appendMessages, messagesIn } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { pop3Fixture, removeStores } from './pop3Helpers';

let server: DovecotServer;
let proxy: CuttingProxy;
before(async () => {
  server = await DovecotServer.start();
  proxy = await CuttingProxy.start(server.ports.pop3);
});
after(async () => {
  await proxy?.stop();
  await server?.stop();
  removeStores();
});

const SUBJECTS = ['alpha', 'bravo', 'charlie', 'delta'];

async function seededUser(): Promise<TestUser> {
  const user = server.addUser('cut');
  await appendMessages(
    server,
    user,
    'INBOX',
    SUBJECTS.map((subject, i) => ({
      // Bodies of a few kilobytes, so that many cut points fall inside RETR replies.
      raw: buildMessage({ subject, text: `${subject}\n`.repeat(300), date: new Date(Date.UTC(2026, 0, 1 + i)) }),
    })),
  );
  return user;
}

function fixture(user: TestUser, policy: Partial<Pop3Policy>) {
  return pop3Fixture(server, user, { policy, server: { port: proxy.port, security: 'none' } });
}

async function measureSession(policy: Partial<Pop3Policy>): Promise<number> {
  proxy.cutAfter = Infinity;
  const { backend } = fixture(await seededUser(), policy);
  await backend.sync();
  return proxy.lastSessionBytes;
}

function cutPoints(total: number, count: number): number[] {
  // A few inside the greeting, then evenly spaced up to the very last byte of the session.
  const points = new Set<number>([1, 2, 10]);
  const steps = count - points.size;
  for (let i = 1; i <= steps; i++) points.add(Math.max(1, Math.round((total * i) / steps)));
  for (let extra = 3; points.size < count; extra++) points.add(extra);
  return [...points].sort((a, b) => a - b);
}

async function survivesCutsAt(
  policy: Partial<Pop3Policy>,
  cuts: number[],
  serverShouldKeep: boolean,
  total: number,
): Promise<void> {
  const failures: string[] = [];
  for (const cut of cuts) {
    const user = await seededUser();
    const { backend: first, storeRoot, reopen } = fixture(user, policy);
    proxy.cutAfter = cut;
    // Two interrupted syncs in a row, each in a fresh backend that knows only what reached the disk, as after
    // VS Code was closed with the connection.
    const cutsBefore = proxy.cutsMade;
    const firstRun = await first.sync().then(
      () => 'completed',
      (error: Error) => error.message,
    );
    if (proxy.cutsMade === cutsBefore) failures.push(`cut at ${cut} bytes: the proxy did not cut the first sync`);
    // A cut before the last byte of the session must be noticed: the sync cannot claim success.
    if (cut < total && firstRun === 'completed') failures.push(`cut at ${cut} bytes: the first sync reported success`);
    await reopen()
      .sync()
      .catch(() => undefined);
    proxy.cutAfter = Infinity;
    const backend = reopen();
    await backend.sync();
    const stored = (await backend.listMessages(POP3_INBOX, { limit: 100 })).messages.map((m) => m.subject).sort();
    const onServer = (await messagesIn(server, user, 'INBOX')).map((m) => m.subject).sort();
    const leftovers = readdirSync(join(storeRoot, 'Maildir', 'tmp'));
    // Count files too: a copy the index lost track of would be a duplicate on disk that no list shows.
    const files = ['new', 'cur'].flatMap((dir) => readdirSync(join(storeRoot, 'Maildir', dir)));
    const expectedOnServer = serverShouldKeep ? SUBJECTS : [];
    if (
      JSON.stringify(stored) !== JSON.stringify(SUBJECTS) ||
      JSON.stringify(onServer) !== JSON.stringify(expectedOnServer) ||
      leftovers.length ||
      files.length !== SUBJECTS.length
    ) {
      failures.push(
        `cut at ${cut} bytes: stored [${stored}], ${files.length} files, server [${onServer}], tmp [${leftovers}]`,
      );
    }
    await backend.close();
  }
  assert.deepEqual(failures, []);
}

describe('POP3 sync under cut connections', () => {
  test('download-and-delete never loses or duplicates a message, cut anywhere in the session (50 cut points)', async () => {
    const policy = { leaveOnServer: false };
    const total = await measureSession(policy);
    assert.ok(total > 10_000, `a session should carry several kilobytes, measured ${total}`);
    const cuts = cutPoints(total, 50);
    assert.equal(cuts.length, 50);
    assert.ok(cuts[cuts.length - 1] >= total, 'the last cut point reaches the end of the session');
    await survivesCutsAt(policy, cuts, false, total);
  });

  test('leave-on-server never duplicates a message, cut anywhere in the session (20 cut points)', async () => {
    const policy = { leaveOnServer: true };
    const total = await measureSession(policy);
    await survivesCutsAt(policy, cutPoints(total, 20), true, total);
  });

  // LETTERBOX_FAULT_CUTS=200 npm test (or node --test this file) adds random cut points; the seed is printed so a
  // failure can be replayed with LETTERBOX_FAULT_SEED.
  const randomCuts = Number(process.env.LETTERBOX_FAULT_CUTS ?? 0);
  test(
    `download-and-delete survives ${randomCuts || 'N'} random cut points (set LETTERBOX_FAULT_CUTS)`,
    { skip: randomCuts ? false : 'LETTERBOX_FAULT_CUTS is not set' },
    async () => {
      const policy = { leaveOnServer: false };
      const total = await measureSession(policy);
      const seed = Number(process.env.LETTERBOX_FAULT_SEED ?? Date.now() % 1_000_000);
      console.log(`random cut points: seed ${seed}, ${randomCuts} points in 1..${total}`);
      let state = seed;
      const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
      const cuts = Array.from({ length: randomCuts }, () => 1 + Math.floor(next() * total));
      await survivesCutsAt(policy, cuts, false, total);
    },
  );
});
