// Text from mail or a server is data on every VS Code surface: a quick pick, the status bar and notifications render
// "$(name)" as an icon, so a phishing subject could show Letterbox's unread dot and a "verified" badge. Every
// surface gets such text through plainText (its lint rule holds them to it); these check what that text becomes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MailError } from '../../src/mail/mailError';
import type { MessageSummary } from '../../src/mail/types';
import { plainItem, plainText, withIcon } from '../../src/util/plainText';
import { present, type PresentationContext } from '../../src/views/mailTreePresentation';

// VS Code's icon syntax (src/vs/base/common/iconLabels.ts: "$(" name, an optional "~modifier", ")").
const VSCODE_ICON = /\$\(([A-Za-z0-9-]+)(?:~[A-Za-z]+)?\)/g;
const icons = (text: string | undefined) => [...(text ?? '').matchAll(VSCODE_ICON)].map((match) => match[1]);

const SUBJECT = '$(circle-filled) $(shield) Your account is locked';
const SENDER = { name: '$(verified-filled) PayPal Security', address: 'security@paypa1.example' };

const summary: MessageSummary = {
  ref: { account: 'work', folder: 'INBOX', id: '7' },
  subject: SUBJECT,
  from: [SENDER],
  to: [{ name: '$(account) you', address: 'me@example.org' }],
  date: new Date('2026-11-30T10:00:00Z'),
  size: 1200,
  flags: { seen: false, flagged: false, answered: false, draft: false },
  hasAttachments: false,
};
const context: PresentationContext = { account: () => undefined, status: () => ({ state: 'online' }) };

test('plainText keeps the words of icon syntax but no icon survives, with nothing visible added', () => {
  for (const text of [SUBJECT, SENDER.name, '$(sync~spin) Updating', 'price $(5)', '$$(x)']) {
    assert.deepEqual(icons(plainText(text)), [], text);
    assert.equal(plainText(text).replace(/\u200b/g, ''), text);
  }
  assert.equal(plainText('Lunch at 12? (the usual $5 place)'), 'Lunch at 12? (the usual $5 place)');
});

test('a message in the tree: its subject, sender and tooltip show no icon', () => {
  const look = present({ kind: 'message', key: 'm', account: 'work', summary }, context);
  assert.ok(icons(SUBJECT).length === 2 && icons(SENDER.name).length === 1, 'the samples are icon syntax');
  assert.deepEqual([...icons(look.label), ...icons(look.description), ...icons(look.tooltip)], []);
  assert.match(look.label.replace(/\u200b/g, ''), /Your account is locked/);
  assert.match((look.description ?? '').replace(/\u200b/g, ''), /\(verified-filled\) PayPal Security/);
});

test('a folder named by the server and an error the server sent show no icon in the tree', () => {
  const folder = present(
    {
      kind: 'folder',
      key: 'f',
      account: 'work',
      folder: { path: '$(lock) Secure', name: '$(lock) Secure', delimiter: '/', selectable: true, total: 1, unread: 1 },
    },
    context,
  );
  const notice = present(
    {
      kind: 'notice',
      key: 'n',
      account: 'work',
      text: '',
      error: new MailError('protocol', 'NO $(check) all fine, [ok](command:workbench.action.terminal.new)'),
    },
    context,
  );
  for (const look of [folder, notice])
    assert.deepEqual([...icons(look.label), ...icons(look.description), ...icons(look.tooltip)], []);
  assert.doesNotMatch(notice.tooltip ?? '', /\]\(command:/);
});

test("a quick pick item shows our icon and nothing of the mail's", () => {
  const item = plainItem({
    icon: 'circle-filled',
    label: SUBJECT,
    description: SENDER.name,
    detail: '$(folder) Inbox',
    node: 'kept',
  });
  assert.deepEqual(icons(item.label), ['circle-filled'], item.label);
  assert.ok(item.label.startsWith('$(circle-filled) '));
  assert.deepEqual([...icons(item.description), ...icons(item.detail)], []);
  assert.equal(item.node, 'kept', "the caller's own fields come back");
  assert.deepEqual(icons(plainItem({ label: SUBJECT }).label), [], 'no icon of ours: none at all');
});

test('the status bar: our icon, then text', () => {
  assert.deepEqual(icons(withIcon('mail', '$(bell) 3')), ['mail']);
  assert.equal(withIcon('mail-read', ''), '$(mail-read)');
});
