// The account session state machine on an in-memory backend: which failures change an account's state, how a
// lost connection comes back by itself, and that a closing backend is never overtaken by its successor.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions, type AccountSessionsOptions } from '../../src/accounts/accountSessions';
import { Backoff } from '../../src/accounts/reconnectPolicy';
import { silentLogger } from '../../src/mail/logger';
import { MailError } from '../../src/mail/mailError';
import { waysForward } from '../../src/mail/waysForward';
import { FakeMailBackend } from '../fakes/fakeMailBackend';
import { waitFor } from '../support/waitFor';

const ACCOUNT: AccountConfig = {
  id: 'work',
  label: 'Work',
  email: 'me@example.org',
  protocol: 'imap',
  host: 'imap.example.org',
  port: 993,
  security: 'tls',
  user: 'me',
};

interface Harness {
  sessions: AccountSessions;
  /** Every backend built, in order. */
  built: FakeMailBackend[];
  states: string[];
  reconnected: string[];
  changes: string[];
  /** "folder kind" of each change. */
  kinds: string[];
}

const open: AccountSessions[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sessions) => sessions.dispose()));
});

function harness(
  options: Partial<AccountSessionsOptions> & {
    localStore?: boolean;
    prepare?: (backend: FakeMailBackend) => void;
  } = {},
): Harness {
  const built: FakeMailBackend[] = [];
  const states: string[] = [];
  const reconnected: string[] = [];
  const changes: string[] = [];
  const kinds: string[] = [];
  const sessions: AccountSessions = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: 'pw' }) },
    log: silentLogger,
    createBackend: (account) => {
      const backend = new FakeMailBackend(account.id, { localStore: options.localStore });
      options.prepare?.(backend);
      built.push(backend);
      return backend;
    },
    reconnect: { firstMs: 30, maxMs: 200, jitter: 0 },
    ...options,
  });
  sessions.onDidChangeStatus((id) => states.push(sessions.status(id).state));
  sessions.onDidReconnect((id) => reconnected.push(id));
  sessions.onDidChangeMail(({ change }) => {
    changes.push(change.folder);
    kinds.push(`${change.folder} ${change.kind}`);
  });
  sessions.update([ACCOUNT]);
  open.push(sessions);
  return { sessions, built, states, reconnected, changes, kinds };
}

describe('account sessions', () => {
  test('the first operation shows connecting, then online; the Inbox is watched', async () => {
    const { sessions, built, states } = harness();
    await sessions.run('work', (backend) => backend.listFolders());
    assert.deepEqual(states, ['connecting', 'online']);
    await waitFor(() => built[0].watches.size === 1, 'the Inbox watch');
  });

  test('a message that is gone or cannot be read does not turn the account red', async () => {
    const { sessions, built } = harness({
      prepare: (backend) => backend.failNext('fetchMessage', new MailError('notFound', 'message 7 is gone')),
    });
    await sessions.run('work', (backend) => backend.listFolders());
    await assert.rejects(
      sessions.run('work', (backend) => backend.fetchMessage({ account: 'work', folder: 'INBOX', id: '7' })),
      /message 7 is gone/,
    );
    assert.equal(sessions.status('work').state, 'online');
    assert.equal(built.length, 1);
  });

  test('a lost connection shows offline with the time of the next try, then comes back by itself', async () => {
    const { sessions, built, reconnected } = harness({
      prepare: (backend) => backend.failNext('listFolders', new MailError('network', 'connection reset')),
    });
    await assert.rejects(
      sessions.run('work', (backend) => backend.listFolders()),
      /connection reset/,
    );
    const status = sessions.status('work');
    assert.equal(status.state, 'offline');
    assert.ok(status.retryAt && status.retryAt > Date.now() - 5, 'the next try is announced');
    await waitFor(() => sessions.status('work').state === 'online', 'the account to come back');
    assert.deepEqual(reconnected, ['work'], 'the tree is told to reload');
    assert.ok(built[0].calls.includes('connect'), built[0].calls.join(', '));
  });

  test('the back-off grows while the server stays away, and resets once it is back', async () => {
    const { sessions, built } = harness({
      prepare: (backend) => {
        backend.failNext('listFolders', new MailError('network', 'down'));
        for (let i = 0; i < 3; i++) backend.failNext('connect', new MailError('network', 'still down'));
      },
    });
    await assert.rejects(sessions.run('work', (backend) => backend.listFolders()));
    const waits: number[] = [];
    let last = sessions.status('work').retryAt;
    while (sessions.status('work').state !== 'online') {
      const retryAt = sessions.status('work').retryAt;
      if (retryAt && retryAt !== last) {
        waits.push(retryAt - Date.now());
        last = retryAt;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(built[0].calls.filter((call) => call === 'connect').length, 4);
    assert.ok(waits.length >= 2 && waits[waits.length - 1] > waits[0], `later waits are longer: ${waits.join(', ')}`);
  });

  test('a wrong password is an error that waits for the user: no retries by itself', async () => {
    const { sessions, built } = harness({
      prepare: (backend) => backend.failNext('listFolders', new MailError('auth', 'rejected')),
    });
    await assert.rejects(sessions.run('work', (backend) => backend.listFolders()));
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(sessions.status('work').state, 'error');
    assert.equal(sessions.status('work').retryAt, undefined);
    assert.deepEqual(built[0].calls, ['listFolders']);
  });

  test('a lost watch whose server is gone takes the account offline, and once back it is watched again and reports mail', async () => {
    const { sessions, built, changes, states, reconnected } = harness();
    await sessions.run('work', (backend) => backend.listFolders());
    await waitFor(() => built[0].watches.size === 1, 'the first watch');
    built[0].failNext('ping', new MailError('network', 'connection reset'));
    built[0].loseWatches();
    await waitFor(() => states.includes('offline'), 'the account to go offline');
    await waitFor(() => sessions.status('work').state === 'online' && built[0].watches.size === 1, 'a new watch');
    assert.deepEqual(reconnected, ['work'], 'the tree reloads once');
    built[0].emit('INBOX');
    assert.deepEqual(changes, ['INBOX']);
  });

  test('a lost watch whose server still answers keeps the account online; the watch comes back by itself and asks what arrived', async () => {
    const { sessions, built, kinds, states, reconnected } = harness();
    await sessions.run('work', (backend) => backend.listFolders());
    await waitFor(() => built[0].watches.size === 1, 'the first watch');
    built[0].loseWatches();
    await waitFor(() => built[0].watches.size === 1, 'the watch back');
    assert.ok(built[0].calls.includes('ping'), 'the server was asked whether it is still there');
    assert.deepEqual(states, ['connecting', 'online'], 'never offline');
    assert.deepEqual(reconnected, [], 'nothing reloaded');
    await waitFor(() => kinds.includes('INBOX resumed'), 'the Inbox asked for what arrived meanwhile');
  });

  test('a watch cut right after it starts is rebuilt less and less often, and never flips the account or reloads the tree', async () => {
    const { sessions, built, states, reconnected } = harness({ prepare: (backend) => (backend.cutWatchesAfterMs = 5) });
    await sessions.run('work', (backend) => backend.listFolders());
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const watches = built[0].calls.filter((call) => call === 'watch INBOX').length;
    // Back-off 30 ms doubling to 200 ms, never reset (no watch stays up): about 8 watches in a second. Reset by
    // every success, it would be one every ~35 ms (about 28).
    assert.ok(watches >= 4 && watches <= 10, `${watches} watches in ${Date.now() - started} ms`);
    assert.ok(!states.includes('offline'), `states: ${states.join(', ')}`);
    assert.deepEqual(reconnected, []);
    assert.equal(built.length, 1, 'the account keeps its backend');
  });

  test('a watch whose connection closes just as it opens is rebuilt, not taken for a live one', async () => {
    const { sessions, built } = harness({ prepare: (backend) => (backend.loseNextWatchWhileOpening = true) });
    await sessions.run('work', (backend) => backend.listFolders());
    await waitFor(() => built[0].calls.filter((call) => call === 'watch INBOX').length === 2, 'a second watch');
    await waitFor(() => built[0].watches.size === 1, 'the Inbox watched again');
  });

  test("the account's back-off does not start over after a success that did not last", async () => {
    const { sessions, built } = harness({ reconnect: { firstMs: 40, maxMs: 2_000, jitter: 0 } });
    await sessions.run('work', (backend) => backend.listFolders());
    const waitAfterFailure = async () => {
      built[0].failNext('listFolders', new MailError('network', 'connection reset'));
      await assert.rejects(sessions.run('work', (backend) => backend.listFolders()));
      const wait = sessions.status('work').retryAt! - Date.now();
      await waitFor(() => sessions.status('work').state === 'online', 'back online');
      return wait;
    };
    const first = await waitAfterFailure();
    const second = await waitAfterFailure();
    assert.ok(first <= 45 && second >= 70, `the second wait doubles: ${first} ms, then ${second} ms`);
  });

  test('after a settings change, the new backend waits until the old one has closed', async () => {
    const { sessions, built } = harness({ prepare: (backend) => (backend.closeDelayMs = 80) });
    await sessions.run('work', (backend) => backend.listFolders());
    sessions.update([{ ...ACCOUNT, label: 'Renamed' }]);
    const order: string[] = [];
    const closing = built[0];
    await sessions.run('work', async (backend) => {
      order.push(`new backend works, old closed ${closing.closed}`);
      return backend.listFolders();
    });
    assert.deepEqual(order, ['new backend works, old closed 1']);
    assert.notEqual(built[1], closing);
  });

  test('removing an account with its downloaded mail closes the backend first, then deletes the store', async () => {
    const { sessions, built } = harness({ localStore: true, prepare: (backend) => (backend.closeDelayMs = 30) });
    await sessions.sync('work');
    await sessions.remove(ACCOUNT, { deleteLocalData: true });
    const calls = built[0].calls;
    assert.ok(
      calls.indexOf('closed') >= 0 && calls.indexOf('deleteLocalData') > calls.indexOf('closed'),
      calls.join(', '),
    );
  });

  test('dispose closes every backend and waits for it', async () => {
    const { sessions, built } = harness({ prepare: (backend) => (backend.closeDelayMs = 30) });
    await sessions.run('work', (backend) => backend.listFolders());
    await sessions.dispose();
    assert.equal(built[0].closed, 1);
  });

  test('the folder on show is watched too, and watched again after a reconnect', async () => {
    const { sessions, built } = harness({ prepare: (backend) => backend.addFolder('Archive') });
    await sessions.run('work', (backend) => backend.listFolders());
    sessions.watchFolder('work', 'Archive');
    await waitFor(() => built[0].watches.size === 2, 'the Inbox and Archive watches');
    built[0].loseWatches();
    await waitFor(
      () =>
        sessions.status('work').state === 'online' &&
        [...built[0].watches]
          .map((watch) => watch.folder)
          .sort()
          .join() === 'Archive,INBOX',
      'both watches back',
    );
  });
});

describe("failures that are Letterbox's own", () => {
  test('an unexpected exception is an internal error with the log and a report as ways forward, and the account stays online', async () => {
    const { sessions } = harness();
    await sessions.run('work', (backend) => backend.listFolders());
    const failure = await sessions
      .run('work', async () => {
        throw new TypeError('summary.flags is undefined');
      })
      .then(
        () => undefined,
        (error: unknown) => error as MailError,
      );
    assert.ok(failure instanceof MailError);
    assert.equal(failure.kind, 'internal');
    assert.match(failure.message, /^Letterbox failed while working with Work \(summary\.flags is undefined\)/);
    assert.deepEqual(waysForward(failure).slice(0, 2), ['showLog', 'reportIssue']);
    assert.equal(sessions.status('work').state, 'online', 'the server did nothing wrong');
  });
});

describe('the back-off of one connection', () => {
  test('grows while the connection keeps dropping, and starts over only after it stayed up for stableMs', () => {
    let now = 0;
    const backoff = new Backoff({ firstMs: 1_000, maxMs: 60_000, jitter: 0, stableMs: 60_000, now: () => now });
    const delays: number[] = [];
    for (let drop = 0; drop < 8; drop++) {
      delays.push(backoff.next());
      now += delays.at(-1)!;
      backoff.connected();
      now += 500; // up for half a second, then cut again
    }
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    now += 60_000; // stayed up a minute
    assert.equal(backoff.next(), 1_000);
  });
});
