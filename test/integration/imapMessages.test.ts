// Message operations against a real Dovecot, each checked through a separate connection: what the server holds
// is the truth, not what the backend says it did.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MessageRef } from '../../src/mail/types';
import { DovecotServer } from '../servers/dovecot';
import { appendMessages, inFolder, messagesIn, withMailbox } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { collectingLogger, imapBackend } from './imapHelpers';
import { mailRejection } from '../support/mailAssertions';

let server: DovecotServer;
before(async () => {
  server = await DovecotServer.start();
});
after(() => server?.stop());

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function seedNumbered(
  user: ReturnType<DovecotServer['addUser']>,
  count: number,
  folder = 'INBOX',
): Promise<number[]> {
  return appendMessages(
    server,
    user,
    folder,
    Array.from({ length: count }, (_, i) => ({
      raw: buildMessage({ subject: `message ${i + 1}`, date: new Date(Date.UTC(2026, 10, 1 + i)) }),
    })),
  );
}

describe('IMAP messages', () => {
  test('lists newest first in pages, with a cursor that reaches the oldest message exactly once', async () => {
    const user = server.addUser();
    await seedNumbered(user, 7);
    const backend = imapBackend(server, user);
    try {
      const first = await backend.listMessages('INBOX', { limit: 3 });
      assert.deepEqual(
        first.messages.map((m) => m.subject),
        ['message 7', 'message 6', 'message 5'],
      );
      assert.equal(first.total, 7);
      assert.ok(first.next);
      // Mail arriving between two pages must neither repeat nor push a message off the next page.
      await seedNumbered(user, 1);
      const second = await backend.listMessages('INBOX', { limit: 3, after: first.next });
      assert.deepEqual(
        second.messages.map((m) => m.subject),
        ['message 4', 'message 3', 'message 2'],
      );
      const third = await backend.listMessages('INBOX', { limit: 3, after: second.next });
      assert.deepEqual(
        third.messages.map((m) => m.subject),
        ['message 1'],
      );
      assert.equal(third.next, undefined);
    } finally {
      await backend.close();
    }
  });

  test('pages below the first are listed by position, without a UID SEARCH per page, and stay exact when mail is expunged between pages', async () => {
    const user = server.addUser();
    await seedNumbered(user, 25);
    const log = collectingLogger();
    const backend = imapBackend(server, user, {}, log);
    const subjects = (page: { messages: Array<{ subject: string }> }) =>
      page.messages.map((m) => Number(m.subject.replace('message ', '')));
    try {
      const pages = [await backend.listMessages('INBOX', { limit: 7 })];
      while (pages.at(-1)!.next)
        pages.push(await backend.listMessages('INBOX', { limit: 7, after: pages.at(-1)!.next }));
      assert.deepEqual(
        pages.flatMap(subjects),
        Array.from({ length: 25 }, (_, i) => 25 - i),
        'every message once, newest first',
      );
      // Paging by UID SEARCH made a 10,000-message folder cost 10x the commands and bytes (bench: imap all summaries).
      assert.deepEqual(
        log.lines.filter((line) => /\] c \S+ (UID )?SEARCH\b/.test(line)),
        [],
        'no SEARCH while nothing moved',
      );
      assert.ok(
        log.lines.some((line) => /FETCH 12:19 /.test(line)),
        'the second page: the oldest message of the first page and the 7 positions below it',
      );

      // Expunged elsewhere between pages: message 10 (below the cursor) and message 16 (above it) shift every
      // position; the cursor's message is no longer where the cursor says, so the page falls back to UID SEARCH.
      const first = await backend.listMessages('INBOX', { limit: 7 });
      const second = await backend.listMessages('INBOX', { limit: 7, after: first.next });
      await inFolder(server, user, 'INBOX', (client) => client.messageDelete('10,16', { uid: true }));
      const third = await backend.listMessages('INBOX', { limit: 7, after: second.next });
      assert.deepEqual(subjects(third), [11, 9, 8, 7, 6, 5, 4]);
      const fourth = await backend.listMessages('INBOX', { limit: 7, after: third.next });
      assert.deepEqual(subjects(fourth), [3, 2, 1]);
      assert.equal(fourth.next, undefined);
    } finally {
      await backend.close();
    }
  });

  test('summaries carry sender, recipients, date, size, flags and attachment presence without fetching bodies', async () => {
    const user = server.addUser();
    await appendMessages(server, user, 'INBOX', [
      {
        raw: buildMessage({ from: 'Zoë Müller <zoe@example.org>', subject: 'Grüße aus Köln — ☕', text: 'plain' }),
        flags: ['\\Seen', '\\Flagged'],
      },
      {
        raw: buildMessage({
          subject: 'with attachment',
          attachments: [{ filename: 'report.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4') }],
        }),
      },
      {
        raw: buildMessage({
          subject: 'inline image only',
          html: '<p><img src="cid:logo@x"></p>',
          attachments: [{ filename: 'logo.png', contentType: 'image/png', content: PNG, contentId: 'logo@x' }],
        }),
      },
    ]);
    const backend = imapBackend(server, user);
    try {
      const { messages } = await backend.listMessages('INBOX', { limit: 10 });
      const [inlineOnly, withAttachment, greeting] = messages;
      assert.equal(greeting.subject, 'Grüße aus Köln — ☕');
      assert.deepEqual(greeting.from, [{ name: 'Zoë Müller', address: 'zoe@example.org' }]);
      assert.deepEqual(greeting.to, [{ name: 'Bob Example', address: 'bob@example.org' }]);
      assert.equal(greeting.date?.toISOString(), '2026-11-01T10:00:00.000Z');
      assert.ok(greeting.size > 100);
      assert.deepEqual(greeting.flags, { seen: true, flagged: true, answered: false, draft: false });
      assert.equal(greeting.hasAttachments, false);
      assert.equal(withAttachment.hasAttachments, true);
      assert.equal(withAttachment.flags.seen, false);
      assert.equal(inlineOnly.hasAttachments, false, 'an inline cid image is not an attachment');
      assert.equal(greeting.ref.folder, 'INBOX');
      assert.match(greeting.ref.validity ?? '', /^\d+$/);
    } finally {
      await backend.close();
    }
    const session = await server.sessionSummary('imap', user);
    assert.match(session, /body_count=0 body_bytes=0/, `listing must not fetch message bodies: ${session}`);
  });

  test('fetching a message parses it and does not mark it seen', async () => {
    const user = server.addUser();
    await appendMessages(server, user, 'INBOX', [
      {
        raw: buildMessage({
          subject: 'Rechnung Nr. 42 für Ärzte',
          cc: 'Carol <carol@example.org>',
          text: 'Hallo,\nanbei die Rechnung.',
          html: '<p>Hallo,<br>anbei die <b>Rechnung</b>.</p><img src="cid:sig@x">',
          attachments: [
            { filename: 'rechnung-42.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 test') },
            { filename: 'sig.png', contentType: 'image/png', content: PNG, contentId: 'sig@x' },
          ],
        }),
      },
    ]);
    const backend = imapBackend(server, user);
    try {
      const [summary] = (await backend.listMessages('INBOX', { limit: 1 })).messages;
      const message = await backend.fetchMessage(summary.ref);
      assert.equal(message.subject, 'Rechnung Nr. 42 für Ärzte');
      assert.deepEqual(message.cc, [{ name: 'Carol', address: 'carol@example.org' }]);
      assert.match(message.text ?? '', /anbei die Rechnung/);
      assert.match(message.html ?? '', /<b>Rechnung<\/b>/);
      const pdf = message.attachments.find((a) => a.filename === 'rechnung-42.pdf');
      assert.equal(pdf?.inline, false);
      assert.equal(Buffer.from(pdf?.content ?? []).toString(), '%PDF-1.4 test');
      const logo = message.attachments.find((a) => a.contentId === 'sig@x');
      assert.equal(logo?.inline, true);
      assert.deepEqual(Buffer.from(logo?.content ?? []), PNG);
      const source = Buffer.from(await backend.fetchSource(summary.ref)).toString();
      assert.match(source, /^From: Alice Example/m);
    } finally {
      await backend.close();
    }
    const [onServer] = await messagesIn(server, user, 'INBOX');
    assert.equal(onServer.flags.has('\\Seen'), false, 'reading must use BODY.PEEK');
  });

  test('setting and clearing seen and flagged changes exactly those flags on the server', async () => {
    const user = server.addUser();
    const [a, b, c] = await seedNumbered(user, 3);
    const backend = imapBackend(server, user);
    try {
      const { messages } = await backend.listMessages('INBOX', { limit: 10 });
      const ref = (uid: number) => messages.find((m) => m.ref.id === String(uid))?.ref as MessageRef;
      await backend.setFlags([ref(a), ref(c)], { seen: true, flagged: true });
      let state = await messagesIn(server, user, 'INBOX');
      assert.deepEqual(
        state.map((m) => [m.uid, m.flags.has('\\Seen'), m.flags.has('\\Flagged')]),
        [
          [a, true, true],
          [b, false, false],
          [c, true, true],
        ],
      );
      await backend.setFlags([ref(c)], { seen: false });
      state = await messagesIn(server, user, 'INBOX');
      assert.deepEqual(
        state.map((m) => [m.uid, m.flags.has('\\Seen'), m.flags.has('\\Flagged')]),
        [
          [a, true, true],
          [b, false, false],
          [c, false, true],
        ],
      );
    } finally {
      await backend.close();
    }
  });

  test('deleting moves to Trash; deleting inside Trash expunges exactly that UID', async () => {
    const user = server.addUser();
    await seedNumbered(user, 2);
    const backend = imapBackend(server, user);
    try {
      const { messages } = await backend.listMessages('INBOX', { limit: 10 });
      await backend.delete([messages[0].ref]);
      assert.deepEqual(
        (await messagesIn(server, user, 'INBOX')).map((m) => m.subject),
        ['message 1'],
      );
      assert.deepEqual(
        (await messagesIn(server, user, 'Trash')).map((m) => m.subject),
        ['message 2'],
      );

      // Someone else marked another Trash message \Deleted without expunging; a bare EXPUNGE would take it too.
      const [bystander] = await appendMessages(server, user, 'Trash', [
        { raw: buildMessage({ subject: 'bystander' }), flags: ['\\Deleted'] },
      ]);
      const trash = await backend.listMessages('Trash', { limit: 10 });
      const target = trash.messages.find((m) => m.subject === 'message 2');
      assert.ok(target);
      await backend.delete([target.ref]);
      const left = await messagesIn(server, user, 'Trash');
      assert.deepEqual(
        left.map((m) => [m.uid, m.subject]),
        [[bystander, 'bystander']],
      );
    } finally {
      await backend.close();
    }
  });

  test('deleting where there is no Trash folder expunges only the chosen UIDs', async () => {
    const user = server.addUser();
    await withMailbox(server, user, (client) => client.mailboxDelete('Trash'));
    const [first, , third] = await seedNumbered(user, 3);
    const backend = imapBackend(server, user);
    try {
      const { messages } = await backend.listMessages('INBOX', { limit: 10 });
      await backend.delete(
        messages.filter((m) => m.ref.id !== String(first) && m.ref.id !== String(third)).map((m) => m.ref),
      );
      assert.deepEqual(
        (await messagesIn(server, user, 'INBOX')).map((m) => m.uid),
        [first, third],
      );
    } finally {
      await backend.close();
    }
  });

  test('moving several messages puts them in the target folder and out of the source', async () => {
    const user = server.addUser();
    await seedNumbered(user, 4);
    const backend = imapBackend(server, user);
    try {
      const { messages } = await backend.listMessages('INBOX', { limit: 10 });
      await backend.move([messages[0].ref, messages[2].ref], 'Archive');
      assert.deepEqual(
        (await messagesIn(server, user, 'INBOX')).map((m) => m.subject),
        ['message 1', 'message 3'],
      );
      assert.deepEqual((await messagesIn(server, user, 'Archive')).map((m) => m.subject).sort(), [
        'message 2',
        'message 4',
      ]);
      await assert.rejects(backend.move([messages[1].ref], 'Nowhere'), /cannot move message \d+ from INBOX to Nowhere/);
      assert.equal((await messagesIn(server, user, 'INBOX')).length, 2, 'a failed move leaves the source untouched');
    } finally {
      await backend.close();
    }
  });

  test('a message deleted elsewhere fails with kind notFound when opened', async () => {
    const user = server.addUser();
    await seedNumbered(user, 1);
    const backend = imapBackend(server, user);
    try {
      const [summary] = (await backend.listMessages('INBOX', { limit: 1 })).messages;
      await inFolder(server, user, 'INBOX', (client) => client.messageDelete('1:*', { uid: true }));
      const error = await mailRejection(backend.fetchMessage(summary.ref));
      assert.equal(error.kind, 'notFound');
      assert.match(error.message, /no longer in INBOX/);
    } finally {
      await backend.close();
    }
  });

  test('a message without a valid Date header is listed at the time the server received it, marked as such', async () => {
    const user = server.addUser();
    const received = new Date('2026-10-01T09:30:00Z');
    await appendMessages(server, user, 'INBOX', [
      { raw: 'From: a@example.org\r\nSubject: undated\r\nDate: not a date\r\n\r\nbody\r\n', date: received },
    ]);
    const backend = imapBackend(server, user);
    try {
      const [summary] = (await backend.listMessages('INBOX', { limit: 1 })).messages;
      assert.equal(summary.date?.toISOString(), received.toISOString());
      assert.equal(summary.dateSource, 'received');
      assert.equal((await backend.fetchMessage(summary.ref)).date, undefined, 'never "now"');
    } finally {
      await backend.close();
    }
  });

  test('a folder rebuilt on the server (new UIDVALIDITY) fails with kind stale, and so does a page cursor from before', async () => {
    const user = server.addUser();
    await seedNumbered(user, 3);
    const backend = imapBackend(server, user);
    try {
      const page = await backend.listMessages('INBOX', { limit: 1 });
      const fromBefore = { ...page.messages[0].ref, validity: String(Number(page.messages[0].ref.validity) + 1) };
      const error = await mailRejection(backend.fetchMessage(fromBefore));
      assert.equal(error.kind, 'stale');
      assert.match(error.message, /rebuilt on the server \(UIDVALIDITY changed\)/);
      const cursor = page.next!.replace(/^\d+:/, `${fromBefore.validity}:`);
      const stale = await mailRejection(backend.listMessages('INBOX', { limit: 1, after: cursor }));
      assert.equal(stale.kind, 'stale');
    } finally {
      await backend.close();
    }
  });

  test('watch reports mail that arrives while the folder is open', async () => {
    const user = server.addUser();
    const backend = imapBackend(server, user);
    let resolveChange: (folder: string) => void = () => undefined;
    const changed = new Promise<string>((resolve) => (resolveChange = resolve));
    const subscription = await backend.watch('INBOX', (change) => resolveChange(change.folder));
    try {
      await seedNumbered(user, 1);
      const folder = await Promise.race([
        changed,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no change reported within 10 s')), 10_000)),
      ]);
      assert.equal(folder, 'INBOX');
    } finally {
      subscription.dispose();
      await backend.close();
    }
  });
});
