// A server that advertises neither MOVE nor UIDPLUS (as many older ones do): moves fall back to COPY, and no bare
// EXPUNGE ever removes messages that someone else marked \Deleted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DovecotServer } from '../servers/dovecot';
import { appendMessages, messagesIn } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { collectingLogger, imapBackend } from './imapHelpers';
import { mailRejection } from '../support/mailAssertions';

// The capabilities Dovecot 2.3 advertises after login, less MOVE and UIDPLUS.
const OLD_CAPABILITIES =
  'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT NAMESPACE CHILDREN LIST-EXTENDED SPECIAL-USE LIST-STATUS CONDSTORE LITERAL+';

let withoutUidplus: DovecotServer;
let withUidplus: DovecotServer;
before(async () => {
  [withoutUidplus, withUidplus] = await Promise.all([
    DovecotServer.start({ imapCapabilities: OLD_CAPABILITIES }),
    DovecotServer.start({ imapCapabilities: `${OLD_CAPABILITIES} UIDPLUS` }),
  ]);
});
after(async () => {
  await Promise.all([withoutUidplus?.stop(), withUidplus?.stop()]);
});

describe('IMAP on a server without MOVE', () => {
  test('with UIDPLUS, move is COPY then UID EXPUNGE of just those messages', async () => {
    const user = withUidplus.addUser();
    await appendMessages(withUidplus, user, 'INBOX', [
      { raw: buildMessage({ subject: 'keep' }) },
      { raw: buildMessage({ subject: 'move me' }) },
      { raw: buildMessage({ subject: 'marked by someone else' }), flags: ['\\Deleted'] },
    ]);
    const log = collectingLogger();
    const backend = imapBackend(withUidplus, user, {}, log);
    try {
      const { messages } = await backend.listMessages('INBOX', { limit: 10 });
      await backend.move([messages.find((m) => m.subject === 'move me')!.ref], 'Archive');
    } finally {
      await backend.close();
    }
    const sent = log.lines
      .filter((line) => / c \w+ UID /.test(line))
      .map((line) => line.replace(/.* c \w+ (UID \w+).*/, '$1'));
    assert.ok(sent.includes('UID COPY') && sent.includes('UID EXPUNGE') && !sent.includes('UID MOVE'), sent.join(', '));
    assert.deepEqual(
      (await messagesIn(withUidplus, user, 'INBOX')).map((m) => m.subject),
      ['keep', 'marked by someone else'],
    );
    assert.deepEqual(
      (await messagesIn(withUidplus, user, 'Archive')).map((m) => m.subject),
      ['move me'],
    );
  });

  test('without UIDPLUS, delete in Trash marks the message and says why it was not expunged', async () => {
    const user = withoutUidplus.addUser();
    await appendMessages(withoutUidplus, user, 'Trash', [
      { raw: buildMessage({ subject: 'delete me' }) },
      { raw: buildMessage({ subject: 'marked by someone else' }), flags: ['\\Deleted'] },
    ]);
    const backend = imapBackend(withoutUidplus, user);
    try {
      const { messages } = await backend.listMessages('Trash', { limit: 10 });
      const error = await mailRejection(backend.delete([messages.find((m) => m.subject === 'delete me')!.ref]));
      assert.equal(error.kind, 'unsupported');
      assert.match(error.message, /marked as deleted but stay on .* until expunged: the server lacks UIDPLUS/);
    } finally {
      await backend.close();
    }
    const trash = await messagesIn(withoutUidplus, user, 'Trash');
    assert.equal(trash.length, 2, 'nothing was expunged');
    assert.ok(trash.every((m) => m.flags.has('\\Deleted')));
  });

  test('without UIDPLUS, a move copies and marks the source instead of expunging the whole folder', async () => {
    const user = withoutUidplus.addUser();
    await appendMessages(withoutUidplus, user, 'INBOX', [
      { raw: buildMessage({ subject: 'move me' }) },
      { raw: buildMessage({ subject: 'marked by someone else' }), flags: ['\\Deleted'] },
    ]);
    const backend = imapBackend(withoutUidplus, user);
    try {
      const { messages } = await backend.listMessages('INBOX', { limit: 10 });
      await assert.rejects(
        backend.move([messages.find((m) => m.subject === 'move me')!.ref], 'Archive'),
        /lacks UIDPLUS/,
      );
    } finally {
      await backend.close();
    }
    assert.deepEqual(
      (await messagesIn(withoutUidplus, user, 'Archive')).map((m) => m.subject),
      ['move me'],
    );
    assert.equal((await messagesIn(withoutUidplus, user, 'INBOX')).length, 2, 'the bystander survives');
  });
});
