// One table from failure to way forward, and the menus of the tree's error lines follow it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAIL_ERROR_KINDS, MailError } from '../../src/mail/mailError';
import { WAYS_FORWARD, waysForward } from '../../src/mail/waysForward';
import { present } from '../../src/views/mailTreePresentation';

const certificate = { host: 'h', sha256: 'AA', reason: 'self-signed' };

test('every failure kind offers a way forward, and the log is always one of them', () => {
  for (const kind of MAIL_ERROR_KINDS) {
    const ways = waysForward({ kind });
    assert.ok(ways.includes('showLog'), kind);
    assert.ok(ways.length >= 2, `${kind} offers more than the log`);
  }
  assert.deepEqual(waysForward({ kind: 'auth' }), ['enterPassword', 'editAccount', 'showLog']);
  assert.deepEqual(waysForward({ kind: 'tls', certificate }), ['trustCertificate', 'editAccount', 'showLog']);
  assert.ok(waysForward({ kind: 'network' }).includes('retry'));
});

test('a tree error line offers exactly the ways of its kind: each menu entry matches its way, and only it', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { menus: { 'view/item/context': Array<{ command: string; when: string }> } };
  };
  const entries = manifest.contributes.menus['view/item/context'].filter((entry) => entry.when.includes('/^error'));
  const commandOf = {
    enterPassword: 'letterbox.enterPassword',
    signIn: 'letterbox.signIn',
    trustCertificate: 'letterbox.trustCertificate',
    editAccount: 'letterbox.editAccount',
    retry: 'letterbox.retryAccount',
    showLog: 'letterbox.showLog',
    reportIssue: 'letterbox.reportIssue',
  };
  for (const kind of MAIL_ERROR_KINDS) {
    for (const [withCertificate, signIn] of [
      [false, false],
      [true, false],
      [false, true],
    ]) {
      const error = new MailError(kind, 'x', { certificate: withCertificate ? certificate : undefined, signIn });
      const look = present(
        { kind: 'notice', key: 'k', account: 'a', text: '', error },
        { account: () => undefined, status: () => ({ state: 'idle' }) },
      );
      const shown = new Set(
        entries
          .filter((entry) => new RegExp(/=~ \/(.*)\/$/.exec(entry.when)![1]).test(look.contextValue))
          .map((entry) => entry.command),
      );
      const expected = new Set(waysForward(error).map((way) => commandOf[way]));
      assert.deepEqual(
        [...shown].sort(),
        [...expected].sort(),
        `${kind}${withCertificate ? ' with certificate' : ''}${signIn ? ' (signs in with OAuth2)' : ''}`,
      );
    }
  }
  assert.equal(WAYS_FORWARD.length, Object.keys(commandOf).length);
});
