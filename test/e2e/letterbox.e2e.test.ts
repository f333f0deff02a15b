// Letterbox as a new user meets it: the packaged VSIX in a real VS Code (code-server) in Debian's Chromium,
// against a real Dovecot, driven only through the UI. Each step leaves a screenshot in test-output/e2e/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { FakeAuthServer } from '../servers/fakeAuthServer';
import { appendMessages, inFolder, messagesIn, withMailbox } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { launchBrowser, openWorkbench } from './browser';
import { CodeServer } from './codeServer';
import { startMadeUpDomain, type MadeUpDomain } from './madeUpDomain';
import { git, sendSeries } from '../support/patchSeries';
import { ensureE2eTools } from './e2eTools';
import { Workbench } from './workbench';
import { waitFor } from '../support/waitFor';
import { listenOnLoopback } from '../servers/ports';

const ROOT = resolve(__filename, '..', '..', '..');
const SHOTS = join(ROOT, 'test-output', 'e2e');
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

let dovecot: DovecotServer;
let codeServer: CodeServer;
let browser: Browser;
let ui: Workbench;
let imapUser: TestUser;
let pop3User: TestUser;
let images: Server;
/** The OAuth2 provider of the account that signs in with its own page (test 14). */
let auth: FakeAuthServer;
let madeUp: MadeUpDomain;
let addressUser: TestUser;
let addressPopUser: TestUser;
const imageRequests: string[] = [];
/** Where a hostile workspace setting tries to redirect the real account: it records every byte it is sent. */
let trap: NetServer;
const trapped: string[] = [];

before(async () => {
  // scripts/testSetup.ts installed everything before the suites started; this only checks.
  ensureE2eTools((line) => console.log(`e2e setup: ${line}`));
  mkdirSync(SHOTS, { recursive: true });
  images = createServer((request, response) => {
    imageRequests.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'image/png' }).end(PIXEL);
  });
  const imagePort = await listenOnLoopback(images);
  auth = await FakeAuthServer.start();
  dovecot = await DovecotServer.start({ oauth2IntrospectionUrl: `${auth.origin}/introspect` });
  imapUser = dovecot.addUser('imap');
  pop3User = dovecot.addUser('pop');
  await appendMessages(dovecot, imapUser, 'INBOX', [
    {
      raw: buildMessage({
        subject: 'Lunch on Friday?',
        from: 'Zoë Ölund <zoe@example.org>',
        text: 'Hi!\nShall we try the new place?\n\n> Last week was great.',
      }),
    },
    {
      raw: buildMessage({
        subject: 'Quarterly report',
        from: 'Finance <finance@example.com>',
        text: 'Numbers attached.',
        attachments: [{ filename: 'q3.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 test') }],
      }),
    },
    { raw: buildMessage({ subject: 'Old thread', from: 'Bob <bob@example.org>', text: 'To be deleted.' }) },
    {
      raw: buildMessage({
        subject: 'This week in open source',
        from: 'Newsletter <news@example.net>',
        html: `<h2>This week</h2><p>Read on.</p><img src="http://127.0.0.1:${imagePort}/hero.png" width="300" height="100"><img src="http://127.0.0.1:${imagePort}/open.gif" width="1" height="1">`,
      }),
    },
    // HTML that names its charset only in <meta>, with no charset in the MIME header: "Привет из Москвы" in
    // windows-1251.
    {
      raw: Buffer.concat([
        Buffer.from(
          'From: Ivan <ivan@example.ru>\r\nTo: you@example.test\r\nSubject: Meta charset\r\nDate: Sun, 1 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<html><head><meta charset="windows-1251"></head><body><p>',
        ),
        Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x20, 0xe8, 0xe7, 0x20, 0xcc, 0xee, 0xf1, 0xea, 0xe2, 0xfb]),
        Buffer.from('</p></body></html>\r\n'),
      ]),
    },
  ]);
  await appendMessages(dovecot, pop3User, 'INBOX', [
    {
      raw: buildMessage({
        subject: 'POP hello',
        from: 'Carol <carol@example.org>',
        text: 'Downloaded for offline reading.',
      }),
    },
    {
      raw: buildMessage({
        subject: 'POP goodbye',
        from: 'Dave <dave@example.org>',
        text: 'Delete me here and on the server.',
      }),
    },
  ]);
  trap = createNetServer((socket) => {
    trapped.push('connection');
    socket.on('data', (chunk) => trapped.push(chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n');
  });
  const trapPort = await listenOnLoopback(trap);
  // An account that signs in with its provider's page (test 14), as the user's settings hold it: endpoints, no token.
  const oauthUser = dovecot.addUser('oauth');
  await appendMessages(dovecot, oauthUser, 'INBOX', [
    { raw: buildMessage({ subject: 'Signed in with OAuth2', from: 'Provider <hello@example.org>' }) },
  ]);
  auth.approveAs = oauthUser.user;
  // Test 16: an account added by its address alone, on a domain whose autoconfig names the fake provider.
  madeUp = await startMadeUpDomain('mail.test', dovecot.ports, auth);
  addressUser = dovecot.addUser('byaddress');
  addressPopUser = dovecot.addUser('popbyaddress');
  await appendMessages(dovecot, addressPopUser, 'INBOX', [
    { raw: buildMessage({ subject: 'Downloaded from a found server', from: 'Provider <hello@mail.test>' }) },
  ]);
  await appendMessages(dovecot, addressUser, 'INBOX', [
    { raw: buildMessage({ subject: 'Found by your address', from: 'Provider <hello@mail.test>' }) },
  ]);
  codeServer = await CodeServer.start({
    vsix: join(ROOT, 'letterbox.vsix'),
    helpers: [madeUp.helper],
    env: madeUp.env,
    settings: {
      // The user's own client at the made-up provider (test 16): the autoconfig names the provider, not a client.
      'letterbox.oauth.clients': { [madeUp.issuer]: { clientId: auth.clientId } },
      'letterbox.accounts': [
        {
          id: 'oauth-account',
          label: 'Example OAuth',
          email: `${oauthUser.user}@example.test`,
          protocol: 'imap',
          host: '127.0.0.1',
          port: dovecot.ports.imaps,
          security: 'tls',
          user: oauthUser.user,
          pinnedCertificateSha256: dovecot.certificate.sha256,
          oauth: {
            name: 'Example Provider',
            authorizeUrl: `${auth.origin}/authorize`,
            tokenUrl: `${auth.origin}/token`,
            clientId: auth.clientId,
            scopes: ['mail', 'offline_access'],
          },
        },
      ],
    },
    // A repository written by a stranger: an account with the id the real IMAP account will get, pointing at the
    // trap in clear text, another account, and an allow-list entry for the newsletter's tracking images.
    workspaceSettings: {
      'letterbox.accounts': [
        {
          id: `imap:${imapUser.user}@127.0.0.1`,
          protocol: 'imap',
          host: '127.0.0.1',
          port: trapPort,
          security: 'none',
          user: imapUser.user,
        },
        {
          id: 'planted',
          label: 'Planted account',
          protocol: 'imap',
          host: '127.0.0.1',
          port: trapPort,
          security: 'none',
          user: 'planted',
        },
      ],
      'letterbox.remoteContent.allowedSenders': ['news@example.net'],
    },
  });
  browser = await launchBrowser({ hostResolverRules: madeUp.browserHostRules });
  ui = new Workbench(await openWorkbench(browser, codeServer.url, { trustTestCertificates: true }), SHOTS);
});

after(async () => {
  await browser?.close();
  await codeServer?.stop({ keepLogsIn: join(SHOTS, 'logs') });
  await dovecot?.stop();
  await auth?.stop();
  await madeUp?.stop();
  images?.close();
  trap?.close();
});

/** The user's saved accounts; settings.json is read again while VS Code is in the middle of writing it. */
function savedAccounts(): Array<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const settings = JSON.parse(
        readFileSync(join(codeServer.home, 'user-data', 'User', 'settings.json'), 'utf8'),
      ) as Record<string, unknown>;
      return (settings['letterbox.accounts'] as Array<Record<string, unknown>> | undefined) ?? [];
    } catch (error) {
      if (!(error instanceof SyntaxError) || attempt >= 20) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

async function addAccount(options: {
  protocol: 'IMAP' | 'POP3';
  user: TestUser;
  password: string;
  port: number;
  policy?: string;
}): Promise<void> {
  await ui.command('Letterbox: Add Account');
  await ui.answer({ text: `${options.user.user}@example.test` });
  // The settings lookup finds nothing for example.test (no network here): the manual steps, offered from the start.
  await ui.answer({ pick: 'Enter the settings myself' });
  await ui.answer({
    pick: options.protocol === 'IMAP' ? 'Mail stays on the server' : 'Mail is downloaded to this computer',
  });
  await ui.answer({ text: '127.0.0.1' });
  await ui.answer({ pick: 'recommended' });
  await ui.answer({ text: String(options.port) });
  await ui.answer({ text: options.user.user });
  await ui.answer({ text: options.password });
  if (options.policy) await ui.answer({ pick: options.policy });
}

/** Adds the account, trusting the server's certificate, unless an earlier test already did: each test stands alone. */
async function ensureAccount(protocol: 'IMAP' | 'POP3', policy?: string): Promise<void> {
  const user = protocol === 'IMAP' ? imapUser : pop3User;
  await ui.showLetterbox();
  if (savedAccounts().some((account) => account.user === user.user)) return;
  await addAccount({
    protocol,
    user,
    password: user.password,
    port: protocol === 'IMAP' ? dovecot.ports.imaps : dovecot.ports.pop3s,
    policy: policy ?? (protocol === 'POP3' ? 'Keep messages on the server' : undefined),
  });
  await ui.clickNotificationButton(/not trusted/, 'Trust Certificate');
  await ui.dialogButton('Trust This Certificate');
  // The "is added" toast may be gone already; the saved setting and the tree say it for sure.
  await waitFor(() => savedAccounts().some((account) => account.user === user.user), 'the account in the settings');
  await ui.treeItem(`${user.user}@example.test`).waitFor();
}

async function unreadInInbox(): Promise<number> {
  return (await messagesIn(dovecot, imapUser, 'INBOX')).filter((message) => !message.flags.has('\\Seen')).length;
}

describe('Letterbox in a real VS Code', () => {
  test('1. adding an IMAP account: the certificate is trusted by fingerprint, then folders show with unread counts', async () => {
    await ui.showLetterbox();
    await ui.screenshot('01-welcome');
    await addAccount({ protocol: 'IMAP', user: imapUser, password: imapUser.password, port: dovecot.ports.imaps });
    await ui.notification(/not trusted: it is self-signed/).waitFor();
    await ui.screenshot('02-untrusted-certificate');
    await ui.clickNotificationButton(/not trusted/, 'Trust Certificate');
    await ui.page.locator('.monaco-dialog-box', { hasText: dovecot.certificate.sha256 }).waitFor();
    await ui.screenshot('03-trust-dialog');
    await ui.dialogButton('Trust This Certificate');
    await ui.notification(new RegExp(`${imapUser.user}@example.test is added`)).waitFor();
    const inbox = ui.treeItem('Inbox');
    await inbox.waitFor();
    await ui.treeItem('Lunch on Friday?').waitFor();
    assert.match((await inbox.textContent()) ?? '', new RegExp(`Inbox\\s*${await unreadInInbox()}`));
    for (const folder of ['Sent', 'Drafts', 'Trash', 'Archive', 'Junk']) await ui.treeItem(folder).waitFor();
    // Beside the OAuth2 account the user's settings held from the start (test 14).
    const account = savedAccounts().find((entry) => entry.user === imapUser.user)!;
    assert.equal(account.pinnedCertificateSha256, dovecot.certificate.sha256);
    assert.equal(
      JSON.stringify(savedAccounts()).includes(imapUser.password),
      false,
      'the password is not in settings.json',
    );
    assert.equal(savedAccounts().length, 2, "the workspace's accounts were not copied into the user's settings");
    assert.equal(
      await ui.tree.locator('[role=treeitem]', { hasText: 'Planted account' }).count(),
      0,
      'a workspace cannot add an account',
    );
    assert.deepEqual(trapped, [], 'a workspace setting with the same id did not redirect the account or its password');
    await ui.screenshot('04-imap-account');
  });

  test('2. opening a message shows it in the panel and sets \\Seen on the server', async () => {
    await ensureAccount('IMAP');
    const unreadBefore = await unreadInInbox();
    const panel = await ui.openFromTree('Lunch on Friday?');
    assert.match((await panel.locator('.from').textContent()) ?? '', /Zoë Ölund\s*<zoe@example.org>/);
    assert.match((await panel.locator('.plain-text').textContent()) ?? '', /Shall we try the new place\?/);
    await waitFor(
      async () =>
        (await messagesIn(dovecot, imapUser, 'INBOX'))
          .find((m) => m.subject === 'Lunch on Friday?')
          ?.flags.has('\\Seen') === true,
      '\\Seen on the server',
    );
    await ui.treeItem('Lunch on Friday?').locator('.custom-view-tree-node-item-icon.codicon-mail-read').waitFor();
    assert.match((await ui.treeItem('Inbox').textContent()) ?? '', new RegExp(`Inbox\\s*${unreadBefore - 1}`));
    await ui.screenshot('05-message-panel');
  });

  test('3. deleting a message from the tree moves it to Trash on the server', async () => {
    await ensureAccount('IMAP');
    await ui.contextMenu(ui.treeItem('Old thread'), 'Delete Message');
    await waitFor(
      async () => (await messagesIn(dovecot, imapUser, 'Trash')).some((m) => m.subject === 'Old thread'),
      'the message in Trash',
    );
    assert.equal(
      (await messagesIn(dovecot, imapUser, 'INBOX')).some((m) => m.subject === 'Old thread'),
      false,
    );
    await ui.tree.locator('[role=treeitem]', { hasText: 'Old thread' }).waitFor({ state: 'detached' });
    await ui.screenshot('06-deleted');
  });

  test('4. mark unread, flag and move by context menu: the server agrees', async () => {
    await ensureAccount('IMAP');
    // Read first (by menu, if no earlier test opened it), so that Mark as Unread is offered.
    const readIcon = ui.treeItem('Lunch on Friday?').locator('.custom-view-tree-node-item-icon.codicon-mail-read');
    if ((await readIcon.count()) === 0) await ui.contextMenu(ui.treeItem('Lunch on Friday?'), 'Mark as Read');
    await readIcon.waitFor();
    await ui.contextMenu(ui.treeItem('Lunch on Friday?'), 'Mark as Unread');
    await ui.contextMenu(ui.treeItem('Quarterly report'), 'Flag');
    await waitFor(async () => {
      const inbox = await messagesIn(dovecot, imapUser, 'INBOX');
      return (
        inbox.find((m) => m.subject === 'Lunch on Friday?')?.flags.has('\\Seen') === false &&
        inbox.find((m) => m.subject === 'Quarterly report')?.flags.has('\\Flagged') === true
      );
    }, 'unread and flagged on the server');
    await ui.treeItem('Quarterly report').locator('.custom-view-tree-node-item-icon.codicon-star-full').waitFor();
    await ui.contextMenu(ui.treeItem('Quarterly report'), 'Move to…');
    await ui.answer({ pick: 'Archive' });
    await waitFor(
      async () => (await messagesIn(dovecot, imapUser, 'Archive')).some((m) => m.subject === 'Quarterly report'),
      'the message in Archive',
    );
    assert.equal(
      (await messagesIn(dovecot, imapUser, 'INBOX')).some((m) => m.subject === 'Quarterly report'),
      false,
    );
    await ui.screenshot('07-flag-move');
  });

  test('7. remote images are blocked until "Load once"; "Always for this sender" loads them every time after', async () => {
    await ensureAccount('IMAP');
    let panel = await ui.openFromTree('This week in open source');
    await panel.locator('.remote-bar', { hasText: '2 remote items were blocked' }).waitFor();
    await ui.page.waitForTimeout(500);
    assert.equal(imageRequests.length, 0, `nothing may be fetched while blocked: ${imageRequests.join(', ')}`);
    await ui.screenshot('08-remote-blocked');
    await panel.locator('.remote-bar vscode-button', { hasText: 'Load once' }).click();
    await waitFor(() => imageRequests.includes('/hero.png'), 'the remote image to load');
    await ui.screenshot('09-remote-loaded');
    // Once means once: shown again, it is blocked again.
    await ui.openFromTree('Lunch on Friday?');
    panel = await ui.openFromTree('This week in open source');
    await panel.locator('.remote-bar', { hasText: 'blocked' }).waitFor();
    await panel.locator('.remote-bar vscode-button', { hasText: 'Always for this sender' }).click();
    await waitFor(() => {
      const user = JSON.parse(
        readFileSync(join(codeServer.home, 'user-data', 'User', 'settings.json'), 'utf8'),
      ) as Record<string, unknown>;
      return JSON.stringify(user['letterbox.remoteContent.allowedSenders'] ?? []).includes('news@example.net');
    }, "the sender in the user's settings");
    // From now on the sender's images load as soon as the message opens.
    await ui.openFromTree('Lunch on Friday?');
    const before = imageRequests.length;
    panel = await ui.openFromTree('This week in open source');
    await panel.locator('.remote-bar.quiet', { hasText: 'allowed it for this sender' }).waitFor();
    await waitFor(() => imageRequests.length > before, "the allowed sender's images to load when the message opens");
  });

  test('an HTML message whose charset is declared only in <meta> reads in Cyrillic', async () => {
    await ensureAccount('IMAP');
    const panel = await ui.openFromTree('Meta charset');
    const body = panel.frameLocator('iframe.mail-frame').locator('body');
    await body.waitFor();
    assert.match((await body.textContent()) ?? '', /Привет из Москвы/);
    await ui.screenshot('09c-meta-charset');
  });

  test('the open message panel comes back after a window reload', async () => {
    await ensureAccount('IMAP');
    await ui.openFromTree('This week in open source');
    // VS Code's own reload, as a user runs it: the workbench saves its editors, then the page loads again.
    await ui.command('Developer: Reload Window');
    await ui.page.waitForEvent('load', { timeout: 60_000 }).catch(() => undefined);
    await ui.page.locator('.activitybar a.action-label[aria-label^="Letterbox"]').waitFor({ timeout: 90_000 });
    const restored = await ui.panelFrame('This week in open source', 45_000);
    assert.match((await restored.locator('.from').textContent()) ?? '', /news@example.net/);
    await ui.showLetterbox();
    await ui.treeItem('Inbox').waitFor();
    await ui.screenshot('09b-restored-after-reload');
  });

  test('6. a wrong password shows a clear error with a way forward, and nothing is saved', async () => {
    await ui.showLetterbox();
    const before = savedAccounts().length;
    const stranger = dovecot.addUser('wrong');
    await addAccount({ protocol: 'IMAP', user: stranger, password: 'not-the-password', port: dovecot.ports.imaps });
    await ui.clickNotificationButton(/not trusted/, 'Trust Certificate');
    await ui.dialogButton('Trust This Certificate');
    const error = ui.notification(/rejected the user name or password/);
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /Edit/);
    assert.match((await error.textContent()) ?? '', /Save Anyway/);
    await ui.screenshot('10-wrong-password');
    await error
      .locator('.codicon-notifications-clear, .codicon-close')
      .first()
      .click()
      .catch(() => ui.page.keyboard.press('Escape'));
    await ui.page.waitForTimeout(500);
    assert.equal(savedAccounts().length, before, 'no account was saved');
  });

  test('5. a POP3 account downloads mail; deleting with delete-from-server removes the server copy at the next sync', async () => {
    await addAccount({
      protocol: 'POP3',
      user: pop3User,
      password: pop3User.password,
      port: dovecot.ports.pop3s,
      policy: 'Delete from the server when I delete here',
    });
    await ui.clickNotificationButton(/not trusted/, 'Trust Certificate');
    await ui.dialogButton('Trust This Certificate');
    await ui.treeItem('POP goodbye').waitFor({ timeout: 20_000 });
    const panel = await ui.openFromTree('POP hello');
    assert.match((await panel.locator('.plain-text').textContent()) ?? '', /Downloaded for offline reading/);
    await ui.screenshot('11-pop3-message');
    await ui.contextMenu(ui.treeItem('POP goodbye'), 'Delete Message');
    await ui.tree.locator('[role=treeitem]', { hasText: 'POP goodbye' }).waitFor({ state: 'detached' });
    assert.equal(
      (await messagesIn(dovecot, pop3User, 'INBOX')).length,
      2,
      'nothing changes on the server before the next sync',
    );
    await ui.command('Letterbox: Refresh');
    await waitFor(
      async () => (await messagesIn(dovecot, pop3User, 'INBOX')).map((m) => m.subject).join() === 'POP hello',
      'the server copy to go',
      20_000,
    );
    const [pop3] = savedAccounts().filter((account) => account.protocol === 'pop3');
    assert.deepEqual(pop3.pop3, { leaveOnServer: true, deleteWhenDeletedLocally: true });
    await ui.screenshot('12-pop3-deleted');
  });

  test('8. a server with the INBOX. prefix (Courier, older Cyrus): folders at the top level, plain names, real paths', async () => {
    const prefixed = await DovecotServer.start({ inboxPrefix: true });
    try {
      const user = prefixed.addUser('courier');
      await appendMessages(prefixed, user, 'INBOX', [
        { raw: buildMessage({ subject: 'Prefixed hello', from: 'Ann <ann@example.org>' }) },
        { raw: buildMessage({ subject: 'Prefixed archive me', from: 'Ben <ben@example.org>' }) },
      ]);
      await ui.showLetterbox();
      await addAccount({ protocol: 'IMAP', user, password: user.password, port: prefixed.ports.imaps });
      await ui.clickNotificationButton(/not trusted/, 'Trust Certificate');
      await ui.dialogButton('Trust This Certificate');
      await ui.treeItem('Prefixed archive me').waitFor({ timeout: 20_000 });
      // The new account's part of the tree, by level: its folders sit directly under it, beside Inbox.
      const rows = await ui.tree
        .locator('[role=treeitem]')
        .evaluateAll((items) =>
          items.map(
            (item) =>
              [
                Number(item.getAttribute('aria-level')),
                (item.getAttribute('aria-label') ?? '').split(',')[0].trim(),
              ] as [number, string],
          ),
        );
      const start = rows.findIndex(([, label]) => label === `${user.user}@example.test`);
      const end = rows.findIndex(([level], index) => index > start && level === 1);
      const folders = rows
        .slice(start + 1, end < 0 ? undefined : end)
        .filter(([level]) => level === 2)
        .map(([, label]) => label);
      assert.deepEqual(folders, ['Inbox', 'Drafts', 'Sent', 'Archive', 'Junk', 'Trash']);
      await ui.screenshot('13-inbox-prefix');
      await ui.contextMenu(ui.treeItem('Prefixed archive me'), 'Move to…');
      const archive = ui.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Archive' }).first();
      await archive.waitFor();
      assert.match(
        (await archive.textContent()) ?? '',
        /Archive\s*INBOX\.Archive/,
        'the picker names the folder as the tree does, the real path beside it',
      );
      await ui.screenshot('14-inbox-prefix-move');
      await archive.click();
      await waitFor(
        async () =>
          (await messagesIn(prefixed, user, 'INBOX.Archive')).some((m) => m.subject === 'Prefixed archive me'),
        'the message in INBOX.Archive',
      );
      // A person acts once the list shows the move (contextMenu tries again if IDLE reloads the list under the menu).
      await ui.tree.locator('[role=treeitem]', { hasText: 'Prefixed archive me' }).waitFor({ state: 'detached' });
      await ui.contextMenu(ui.treeItem('Prefixed hello'), 'Delete Message');
      await waitFor(
        async () => (await messagesIn(prefixed, user, 'INBOX.Trash')).some((m) => m.subject === 'Prefixed hello'),
        'the message in INBOX.Trash',
      );
      assert.deepEqual(await messagesIn(prefixed, user, 'INBOX'), []);
    } finally {
      await prefixed.stop();
    }
  });

  test('9. Search Mail from the palette finds IMAP mail on the server and POP3 mail in the store; results can be kept', async () => {
    await ensureAccount('IMAP');
    await ensureAccount('POP3');
    const search = async (account: string, words: string, expected: string) => {
      await ui.command('Letterbox: Search Mail…');
      await ui.answer({ pick: account });
      await ui.answer({ pick: 'All folders' });
      const input = ui.page.locator('.quick-input-widget input.input');
      await input.fill(words);
      const row = ui.page.locator('.quick-input-widget .monaco-list-row', { hasText: expected }).first();
      await row.waitFor({ timeout: 20_000 });
      return row;
    };
    const imapRow = await search(`${imapUser.user}@example.test`, 'Friday', 'Lunch on Friday?');
    await ui.screenshot('15-search');
    await imapRow.click();
    await ui.panelFrame('Lunch on Friday?');
    await search(`${pop3User.user}@example.test`, 'offline', 'POP hello');
    // The pin keeps the results in the tree.
    await ui.page.locator('.quick-input-widget .action-label.codicon-pin').first().click();
    await ui.treeItem('Search: offline').waitFor();
    await ui.screenshot('16-search-kept');
  });

  test('10. from the palette: Open Message…, Mark as Unread with only the panel open, and Check Mail', async () => {
    await ensureAccount('IMAP');
    await ensureAccount('POP3');
    await ui.command('Letterbox: Open Message…');
    await ui.answer({ pick: `${imapUser.user}@example.test` });
    await ui.answer({ pick: 'Inbox' });
    await ui.answer({ text: 'This week' });
    await ui.panelFrame('This week in open source');
    const seen = async () =>
      (await messagesIn(dovecot, imapUser, 'INBOX'))
        .find((m) => m.subject === 'This week in open source')
        ?.flags.has('\\Seen');
    await waitFor(async () => (await seen()) === true, 'opening to mark it read');
    // Nothing selected in the tree that the command could use: it acts on the panel's message.
    await ui.command('Letterbox: Mark as Unread');
    await waitFor(async () => (await seen()) === false, 'Mark as Unread from the palette to reach the server');
    await appendMessages(dovecot, pop3User, 'INBOX', [
      { raw: buildMessage({ subject: 'POP arrived later', from: 'Erin <erin@example.org>' }) },
    ]);
    await ui.command('Letterbox: Check Mail');
    await ui.answer({ pick: 'All accounts' });
    await ui.treeItem('POP arrived later').waitFor({ timeout: 20_000 });
  });

  test('11. a message filed elsewhere while its menu is open: Delete does nothing and says so, never touching the message on show', async () => {
    await ensureAccount('IMAP');
    await appendMessages(dovecot, imapUser, 'INBOX', [
      { raw: buildMessage({ subject: 'Open in the panel', from: 'Ann <ann@example.org>' }) },
      { raw: buildMessage({ subject: 'Filed by another client', from: 'Ben <ben@example.org>' }) },
    ]);
    await ui.treeItem('Filed by another client').waitFor({ timeout: 20_000 });
    // The panel's message is what a command without its tree item would fall back to.
    await ui.openFromTree('Open in the panel');
    await ui.treeItem('Filed by another client').click({ button: 'right' });
    const entry = ui.page.locator('.context-view .monaco-menu .action-label', { hasText: 'Delete Message' }).first();
    await entry.waitFor();
    await ui.page.waitForTimeout(400);
    // Another client files the message away while its menu is open; IDLE takes it out of the list.
    await inFolder(dovecot, imapUser, 'INBOX', async (client) => {
      const found = await client.search({ subject: 'Filed by another client' }, { uid: true });
      assert.ok(found && found.length === 1);
      await client.messageMove(found, 'Archive', { uid: true });
    });
    await ui.tree
      .locator('[role=treeitem]', { hasText: 'Filed by another client' })
      .waitFor({ state: 'detached', timeout: 20_000 });
    assert.ok(await entry.isVisible(), 'the menu is still open');
    await entry.hover();
    await entry.click();
    await ui.notification(/Nothing was done: the message left the Mail view while its menu was open/).waitFor();
    await ui.screenshot('17-vanished-under-menu');
    await ui.page.waitForTimeout(1_500);
    assert.ok(
      (await messagesIn(dovecot, imapUser, 'INBOX')).some((m) => m.subject === 'Open in the panel'),
      'the message on show was not deleted',
    );
    assert.equal(
      (await messagesIn(dovecot, imapUser, 'Trash')).some((m) => m.subject === 'Open in the panel'),
      false,
    );
    assert.equal(
      await ui.page.locator('.quick-input-widget').isVisible(),
      false,
      'and no question about some other message',
    );
  });

  test("12. a subject and sender made of icon syntax show as text in the tree and in Open Message…, never as VS Code's icons", async () => {
    await ensureAccount('IMAP');
    await ensureAccount('POP3');
    // Read already: a leading "$(circle-filled)" would fake Letterbox's own unread dot.
    await appendMessages(dovecot, imapUser, 'INBOX', [
      {
        raw: buildMessage({
          subject: '$(circle-filled) $(shield) Your account is locked',
          from: '"$(verified-filled) PayPal Security" <security@paypa1.example>',
        }),
        flags: ['\\Seen'],
      },
    ]);
    const row = ui.treeItem('Your account is locked');
    await row.waitFor({ timeout: 20_000 });
    const icons = '.codicon-circle-filled, .codicon-shield, .codicon-verified-filled';
    assert.equal(await row.locator(icons).count(), 0, 'the tree row');
    assert.match((await row.textContent()) ?? '', /\$.?\(shield\)/, 'the words are still there');
    await ui.command('Letterbox: Open Message…');
    await ui.answer({ pick: `${imapUser.user}@example.test` });
    await ui.answer({ pick: 'Inbox' });
    const pick = ui.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Your account is locked' }).first();
    await pick.waitFor();
    await ui.screenshot('18-icon-syntax-as-text');
    assert.equal(await pick.locator(icons).count(), 0, `the quick pick row: ${await pick.innerHTML()}`);
    await ui.page.keyboard.press('Escape');
  });

  test('13. a folder shown as threads: a conversation opens whole, is marked read, and the server agrees', async () => {
    await ensureAccount('IMAP');
    const list = (id: string, subject: string, from: string, minute: number, references: string[] = []) => ({
      raw: buildMessage({
        subject,
        from,
        date: new Date(Date.UTC(2026, 10, 20, 9, minute)),
        messageId: `${id}@lists.test`,
        text: `Message ${id} of the discussion.`,
        extraHeaders: references.length
          ? {
              'In-Reply-To': `<${references.at(-1)}@lists.test>`,
              References: references.map((ref) => `<${ref}@lists.test>`).join(' '),
            }
          : {},
      }),
    });
    await withMailbox(dovecot, imapUser, (client) => client.mailboxCreate('Lists').then(() => undefined));
    await appendMessages(dovecot, imapUser, 'Lists', [
      list('rfc', 'RFC: threads in Letterbox', 'Ann <ann@example.org>', 0),
      list('bob', 'Re: RFC: threads in Letterbox', 'Bob <bob@example.org>', 10, ['rfc']),
      list('carol', 'Re: RFC: threads in Letterbox', 'Carol <carol@example.org>', 20, ['rfc', 'mine']),
    ]);
    await appendMessages(dovecot, imapUser, 'Sent', [
      {
        ...list('mine', 'Re: RFC: threads in Letterbox', `Me <${imapUser.user}@example.test>`, 5, ['rfc']),
        flags: ['\\Seen'],
      },
    ]);
    await ui.command('Letterbox: Refresh');
    await ui.treeItem('Lists').waitFor();
    await ui.contextMenu(ui.treeItem('Lists'), 'Show as Threads');
    await ui.treeItem('Lists').click();
    await ui.tree
      .locator('[role=treeitem]', { hasText: /4 · 3 unread/ })
      .first()
      .waitFor();
    // The thread's row (in threads mode no message row has this text; its counts change as it is read).
    const thread = ui.treeItem('RFC: threads in Letterbox');
    assert.match((await thread.textContent()) ?? '', /4 · 3 unread/);
    await ui.screenshot('19-folder-as-threads');

    await thread.click();
    const panel = await ui.panelFrame('RFC: threads in Letterbox');
    await panel.locator('li.entry').nth(3).waitFor();
    assert.equal(await panel.locator('li.entry').count(), 4, 'the three list messages and my reply from Sent');
    assert.match((await panel.locator('li.entry').nth(1).textContent()) ?? '', /in Sent/);
    // The unread ones open with their bodies; my (read) reply stays closed.
    for (const id of ['rfc', 'bob', 'carol'])
      await panel.locator('.entry.expanded', { hasText: `Message ${id} of the discussion.` }).waitFor();
    assert.equal(await panel.locator('.entry.expanded').count(), 3);
    await waitFor(
      async () => (await messagesIn(dovecot, imapUser, 'Lists')).every((m) => m.flags.has('\\Seen')),
      'the thread read on the server',
    );
    await ui.screenshot('20-conversation');

    // From the panel's thread toolbar, then from the tree's thread menu.
    await panel.locator('vscode-button[data-action="thread/markUnread"]').click();
    await waitFor(
      async () => (await messagesIn(dovecot, imapUser, 'Lists')).every((m) => !m.flags.has('\\Seen')),
      'the thread unread on the server',
    );
    // The tree follows (its menu is made from what the row shows): every message of the thread unread, my reply too.
    await ui.tree
      .locator('[role=treeitem]', { hasText: /4 · 4 unread/ })
      .first()
      .waitFor();
    await ui.contextMenu(thread, 'Mark Thread as Read');
    await waitFor(
      async () => (await messagesIn(dovecot, imapUser, 'Lists')).every((m) => m.flags.has('\\Seen')),
      'the thread read again on the server',
    );
    await ui.contextMenu(ui.treeItem('Lists'), 'Show as Messages');
    await ui.tree.locator('[role=treeitem]', { hasText: 'Re: RFC: threads in Letterbox' }).first().waitFor();
  });

  test("14. an account that signs in with its provider's page: the page opens in the browser, and the Inbox shows", async () => {
    await ensureAccount('IMAP');
    await ui.treeItem('Example OAuth').waitFor();
    const opened = ui.page.context().waitForEvent('page', { timeout: 60_000 });
    await ui.command('Letterbox: Sign In');
    await ui.answer({ pick: 'Example OAuth' });
    // VS Code asks before it opens an outside address.
    await ui.dialogButton('Open').catch(() => undefined);
    const signInPage = await opened;
    await signInPage.waitForLoadState();
    await signInPage.getByText('Signed in. You can close this tab').waitFor({ timeout: 30_000 });
    await signInPage.close();
    await ui.treeItem('Signed in with OAuth2').waitFor({ timeout: 30_000 });
    await ui.screenshot('21-oauth-signed-in');
    assert.ok(auth.tokenCalls.includes('authorization_code'));
    assert.equal(JSON.stringify(savedAccounts()).includes('rt-'), false, 'no refresh token in settings.json');
  });

  test('15. All Inboxes lists every Inbox above the accounts, beside the same messages in their own Inboxes', async () => {
    await ensureAccount('IMAP');
    await ensureAccount('POP3');
    await ui.command('Letterbox: Show All Inboxes');
    // The new row is the first of the tree, which earlier tests left scrolled down: to the top, as a person would.
    await ui.tree.locator('[role=treeitem]').first().click();
    await ui.page.keyboard.press('Home');
    const unified = ui.treeItem('All Inboxes');
    await unified.waitFor();
    // The IMAP account's Inbox and All Inboxes both show this message: VS Code must accept both rows.
    await waitFor(
      async () => (await ui.tree.locator('[role=treeitem]', { hasText: 'Meta charset' }).count()) >= 2,
      'the message in All Inboxes and in its own Inbox',
      30_000,
    );
    await ui.tree.locator('[role=treeitem]', { hasText: 'POP hello' }).first().waitFor();
    assert.equal(
      await ui.page.locator('.notifications-toasts', { hasText: /already registered/ }).count(),
      0,
      'no tree error',
    );
    // The row's unread sum, the view's badge and the status bar say the same.
    const sum = /All Inboxes\s*(\d+)/.exec((await unified.textContent()) ?? '')?.[1];
    assert.ok(sum, 'All Inboxes shows an unread sum');
    await ui.page.locator(`.statusbar [aria-label="${sum} unread messages"]`).first().waitFor();
    await ui.screenshot('22-all-inboxes');
    await ui.command('Letterbox: Hide All Inboxes');
    await unified.waitFor({ state: 'detached' });
  });

  test('16. an account added by its address alone: the settings come from its autoconfig, the sign-in page opens once, and the Inbox shows', async () => {
    await ui.showLetterbox();
    auth.approveAs = addressUser.user;
    const codesBefore = auth.tokenCalls.filter((grant) => grant === 'authorization_code').length;
    await ui.command('Letterbox: Add Account');
    await ui.answer({ text: `${addressUser.user}@${madeUp.domain}` });
    // What was found, the server named in full with where it was found, before anything is sent to it.
    const found = ui.page.locator('.quick-input-widget .monaco-list-row', { hasText: `IMAP: imap.${madeUp.domain}` });
    await found.waitFor({ timeout: 30_000 });
    const shown = (await found.textContent()) ?? '';
    assert.match(shown, /sign in with Made-up Mail/);
    assert.match(shown, new RegExp(`Found in the domain's own settings: https://autoconfig\\.${madeUp.domain}/`));
    await ui.screenshot('23-found-by-address');
    const opened = ui.page.context().waitForEvent('page', { timeout: 60_000 });
    await found.click();
    await ui.dialogButton('Open').catch(() => undefined);
    const signInPage = await opened;
    await signInPage.waitForLoadState();
    await signInPage.getByText('Signed in. You can close this tab').waitFor({ timeout: 30_000 });
    await signInPage.close();
    // The mail server's certificate is self-signed: trusted by its fingerprint, then the test runs again.
    await ui.clickNotificationButton(/not trusted/, 'Trust Certificate');
    await ui.dialogButton('Trust This Certificate');
    await waitFor(
      () => savedAccounts().some((account) => account.host === `imap.${madeUp.domain}`),
      'the account found by its address in the settings',
    );
    await ui.treeItem('Found by your address').waitFor({ timeout: 30_000 });
    await ui.screenshot('24-added-by-address');
    const saved = savedAccounts().find((account) => account.host === `imap.${madeUp.domain}`)!;
    assert.equal(saved.port, dovecot.ports.imaps);
    assert.equal(saved.security, 'tls');
    assert.equal(saved.user, addressUser.user, 'the user name as the autoconfig says (%EMAILLOCALPART%)');
    assert.equal((saved.oauth as { authorizeUrl: string }).authorizeUrl, `${madeUp.loginOrigin}/authorize`);
    assert.equal(
      auth.tokenCalls.filter((grant) => grant === 'authorization_code').length,
      codesBefore + 1,
      'one sign-in, also after the certificate was trusted',
    );
    assert.deepEqual(madeUp.asked, ['/mail/config-v1.1.xml'], 'the autoconfig was asked once');
  });

  test('17. an address and a password: the found POP3 server is used as found, asking only the password and the policy', async () => {
    await ui.showLetterbox();
    // Five accounts by now: the new one would be below the fold of the tree.
    await ui.page.locator('.action-label[aria-label^="Collapse All"]').first().click();
    await ui.command('Letterbox: Add Account');
    await ui.answer({ text: `${addressPopUser.user}@${madeUp.domain}` });
    await ui.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: `POP3: pop.${madeUp.domain}` })
      .waitFor({ timeout: 30_000 });
    await ui.answer({ pick: `POP3: pop.${madeUp.domain}` });
    await ui.answer({ text: addressPopUser.password, expectPrompt: /password/i });
    await ui.answer({ pick: 'Keep messages on the server' });
    await ui.clickNotificationButton(/not trusted/, 'Trust Certificate');
    await ui.dialogButton('Trust This Certificate');
    await waitFor(
      () => savedAccounts().some((account) => account.host === `pop.${madeUp.domain}`),
      'the POP3 account found by its address in the settings',
    );
    await ui.treeItem('Downloaded from a found server').waitFor({ timeout: 30_000 });
    const saved = savedAccounts().find((account) => account.host === `pop.${madeUp.domain}`)!;
    assert.deepEqual(
      [saved.protocol, saved.port, saved.security, saved.user],
      ['pop3', dovecot.ports.pop3s, 'tls', addressPopUser.user],
    );
    assert.equal(saved.oauth, undefined);
    assert.equal(
      JSON.stringify(saved).includes(addressPopUser.password),
      false,
      'the password is not in settings.json',
    );
  });

  test('18. a patch series from a list: a file of patch 2 opens in the diff editor, and Apply makes a branch with three commits and the review trailer', async () => {
    await ensureAccount('IMAP');
    // The maintainer's repository is the window's folder, at the series' base; the series came by mail.
    const sent = sendSeries(mkdtempSync(join(tmpdir(), 'letterbox-e2e-series-')));
    const repo = join(codeServer.home, 'workspace');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'pull', '-q', sent.upstream, 'main');
    git(repo, 'config', 'user.name', 'Mia Maintainer');
    git(repo, 'config', 'user.email', 'mia@example.org');
    await withMailbox(dovecot, imapUser, (client) => client.mailboxCreate('Patches').then(() => undefined));
    await appendMessages(
      dovecot,
      imapUser,
      'Patches',
      [sent.cover, ...sent.patches, sent.review].map((raw) => ({ raw })),
    );
    await ui.command('Letterbox: Refresh');
    await ui.page.locator('.action-label[aria-label^="Collapse All"]').first().click();
    await ui.treeItem(`${imapUser.user}@example.test`).click();
    await ui.treeItem('Patches').click();
    // The patch itself, not Rob's "Re:" to it (which offers the same commands).
    const patch = ui.tree.locator('[role=treeitem]', { hasText: /^\[PATCH v2 2\/3\] widget: call frob\(\)/ }).first();
    await patch.waitFor();

    await ui.contextMenu(patch, 'Review Patch Series');
    await ui.answer({ pick: 'widget.c' });
    await ui.page.locator('.tab', { hasText: 'widget.c (2/3: widget: call frob())' }).waitFor();
    const diff = ui.page.locator('.monaco-diff-editor');
    await diff.locator('.editor.modified', { hasText: 'return frob();' }).waitFor();
    await diff.locator('.editor.original', { hasText: 'return 0;' }).waitFor();
    await ui.page.keyboard.press('Escape');
    await ui.screenshot('25-patch-diff');
    assert.equal(git(repo, 'status', '--porcelain', '--untracked-files=no'), '', 'reviewing changed nothing');

    await ui.contextMenu(patch, 'Apply Patch Series');
    await ui.dialogButton('Apply');
    await ui.notification(/Applied as 3 commits on the new branch review\/frobnicate-the-widgets-v2/).waitFor();
    assert.equal(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim(), 'review/frobnicate-the-widgets-v2');
    assert.deepEqual(git(repo, 'log', '--format=%s', 'main..HEAD').trim().split('\n'), [
      'docs: describe frobbing',
      'widget: call frob()',
      'widget: add frob()',
    ]);
    assert.match(git(repo, 'log', '-1', '--format=%B', 'HEAD~1'), /Reviewed-by: Rob Reviewer <rob@example\.org>/);
    assert.equal(git(repo, 'status', '--porcelain', '--untracked-files=no'), '');
    await ui.screenshot('26-series-applied');
  });

  test('no test password is written anywhere VS Code keeps files: settings, global storage, the store, logs, temp', async () => {
    const secrets = [
      ...[imapUser, pop3User, addressPopUser].flatMap((user) => [
        user.password,
        // What AUTH PLAIN would send: the password hidden in base64.
        Buffer.from(`\0${user.user}\0${user.password}`).toString('base64'),
      ]),
      // Every OAuth2 token the provider issued (tests 14 and 16).
      ...auth.issued.map((entry) => entry.token),
    ];
    const hits: string[] = [];
    let files = 0;
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile() && statSync(path).size < 64 * 1024 * 1024) {
          files++;
          const content = readFileSync(path).toString('latin1');
          for (const secret of secrets)
            if (content.includes(secret))
              hits.push(
                `${path} holds ${secret === imapUser.password || secret === pop3User.password || secret === addressPopUser.password ? 'a password' : /^(at|rt)-/.test(secret) ? 'an OAuth2 token' : 'an AUTH PLAIN string'}`,
              );
        }
      }
    };
    walk(codeServer.home);
    assert.ok(files > 20, `searched ${files} files`);
    assert.deepEqual(hits, []);
  });
});
