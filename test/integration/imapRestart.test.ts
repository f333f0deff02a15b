// The server restarts while Letterbox idles on the Inbox: the account goes offline, comes back by itself, shows
// the message that was delivered while the server was down, and announces it exactly once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { AccountSessions } from '../../src/accounts/accountSessions';
import { mailBackendFactory } from '../../src/accounts/backendFactory';
import type { FolderNode, MessageNode } from '../../src/mailbox/mailNodes';
import { MailTreeModel } from '../../src/mailbox/mailTreeModel';
import { appendMessages } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { DovecotServer } from '../servers/dovecot';
import { dovecotSettings } from '../servers/serverSettings';
import { waitFor } from '../support/waitFor';
import { collectingLogger } from './imapHelpers';

let server: DovecotServer;
const storage = mkdtempSync(join(tmpdir(), 'letterbox-restart-'));
let sessions: AccountSessions | undefined;
before(async () => {
  server = await DovecotServer.start();
});
after(async () => {
  await sessions?.dispose();
  await server?.stop();
  rmSync(storage, { recursive: true, force: true });
});

test('Dovecot restarts while idling: back by itself, the mail delivered meanwhile shown and announced once', async () => {
  const user = server.addUser('restart');
  await appendMessages(server, user, 'INBOX', [{ raw: buildMessage({ subject: 'before the restart' }) }]);
  const log = collectingLogger();
  const account: AccountConfig = {
    id: `restart-${user.user}`,
    label: 'Restart',
    email: '',
    protocol: 'imap',
    ...dovecotSettings(server, user, 'imap'),
  };
  const late: { model?: MailTreeModel } = {};
  const live = new AccountSessions({
    passwords: { lookup: async () => ({ state: 'ok', password: user.password }) },
    log,
    createBackend: mailBackendFactory({ log, storageRoot: storage }),
    reconnect: { firstMs: 300, maxMs: 1_000, jitter: 0 },
  });
  live.onDidChangeMail(({ account, change }) => late.model?.folderChanged(account, change));
  live.onDidReconnect((id) => void late.model?.reconnected(id));
  sessions = live;
  live.update([account]);
  const model = new MailTreeModel(live);
  late.model = model;
  const announced: string[] = [];
  model.onDidReceiveMail(({ arrived }) => announced.push(...arrived.map((summary) => summary.subject)));
  const inbox = async () =>
    ((await model.children(model.roots()[0])) as FolderNode[]).find(
      (node) => node.kind === 'folder' && node.folder.specialUse === 'inbox',
    )!;
  assert.deepEqual(
    ((await model.children(await inbox())) as MessageNode[]).map((node) => node.summary.subject),
    ['before the restart'],
  );
  await new Promise((resolve) => setTimeout(resolve, 800));

  await server.restart(async () => {
    await waitFor(() => live.status(account.id).state === 'offline', 'the account to notice the server is gone');
    // Delivered while the server is down, the way an MDA would: a file in the user's Maildir.
    writeFileSync(
      join(user.maildir, 'new', `${Date.now()}.restart.letterbox`),
      buildMessage({ subject: 'during the restart' }),
      { mode: 0o644 },
    );
  });

  await waitFor(() => live.status(account.id).state === 'online', 'the account to come back by itself', 20_000);
  await waitFor(() => announced.length > 0, 'the notice of the mail delivered meanwhile', 20_000);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.deepEqual(announced, ['during the restart'], 'announced exactly once');
  assert.deepEqual(
    ((await model.children(await inbox())) as MessageNode[]).map((node) => node.summary.subject),
    ['during the restart', 'before the restart'],
  );
});
