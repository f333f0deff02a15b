import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSecrets, taggedLogger } from '../../src/mail/logger';

test('IMAP LOGIN hides the password whether atom, quoted or literal', () => {
  assert.equal(redactSecrets('c 2 LOGIN alice s3cret'), 'c 2 LOGIN alice <redacted>');
  assert.equal(redactSecrets('c 2 LOGIN "alice" "pa ss\\"word"'), 'c 2 LOGIN "alice" <redacted>');
  assert.equal(redactSecrets('c 2 login alice {6+}'), 'c 2 login alice <redacted>');
});

test('SASL initial responses and POP3 PASS are hidden', () => {
  assert.equal(redactSecrets('c 3 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA=='), 'c 3 AUTHENTICATE PLAIN <redacted>');
  assert.equal(redactSecrets('C: AUTH PLAIN AGFsaWNlAHNlY3JldA=='), 'C: AUTH PLAIN <redacted>');
  assert.equal(redactSecrets('C: PASS correct horse battery'), 'C: PASS <redacted>');
  assert.equal(redactSecrets('C: APOP alice c4c9334bac560ecc979e58001b3e22fb'), 'C: APOP alice <redacted>');
});

test('structured fields named like secrets are hidden, the rest of the line stays', () => {
  assert.equal(
    redactSecrets('auth {"user":"alice","pass":"hunter2"} ok'),
    'auth {"user":"alice","pass":<redacted>} ok',
  );
  assert.equal(
    redactSecrets('accessToken=ya29.abc host=imap.example.org'),
    'accessToken=<redacted> host=imap.example.org',
  );
});

test('ordinary protocol lines pass unchanged', () => {
  for (const line of [
    's * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready',
    'c 5 UID FETCH 1:* (FLAGS)',
    'S: +OK 2 messages',
    'Subject: passport renewal',
  ]) {
    assert.equal(redactSecrets(line), line);
  }
});

test('a tagged logger prefixes and redacts every level', () => {
  const lines: string[] = [];
  const base = {
    trace: (m: string) => lines.push(m),
    debug: (m: string) => lines.push(m),
    info: (m: string) => lines.push(m),
    warn: (m: string) => lines.push(m),
    error: (m: string) => lines.push(m),
  };
  const log = taggedLogger(base, 'pop3:work');
  log.trace('C: PASS x');
  log.error('failed');
  assert.deepEqual(lines, ['[pop3:work] C: PASS <redacted>', '[pop3:work] failed']);
});
