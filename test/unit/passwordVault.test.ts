// A stored password goes only to the server it was entered for: an account entry that keeps the id but points to
// another host, port or user (a hand edit, or a setting from elsewhere) gets no password and is asked again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { PasswordVault } from '../../src/accounts/passwordVault';
import { silentLogger } from '../../src/mail/logger';

function memorySecrets(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: async (key: string) => values.get(key),
    store: async (key: string, value: string) => void values.set(key, value),
    delete: async (key: string) => void values.delete(key),
  };
}

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

test('a password stored for an account is returned for that same server', async () => {
  const vault = new PasswordVault(memorySecrets(), silentLogger);
  await vault.store(ACCOUNT, 'hunter2');
  assert.deepEqual(await vault.lookup(ACCOUNT), { state: 'ok', password: 'hunter2' });
  const renamed: AccountConfig = { ...ACCOUNT, host: 'IMAP.Example.org', security: 'starttls', label: 'renamed' };
  assert.deepEqual(
    await vault.lookup(renamed),
    { state: 'ok', password: 'hunter2' },
    'host case, security and label do not matter',
  );
});

test('the same id pointing at another host, port or user gets no password', async () => {
  const vault = new PasswordVault(memorySecrets(), silentLogger);
  await vault.store(ACCOUNT, 'hunter2');
  for (const moved of [{ host: 'evil.example.net' }, { port: 143 }, { user: 'someone-else' }]) {
    const lookup = await vault.lookup({ ...ACCOUNT, ...moved });
    assert.equal(lookup.state, 'otherServer', JSON.stringify(moved));
    assert.equal(JSON.stringify(lookup).includes('hunter2'), false);
  }
});

test('a password stored before binding (a plain string) is bound to the account as it is now, once', async () => {
  const secrets = memorySecrets({ 'letterbox.password.work': '{not json but a password' });
  const vault = new PasswordVault(secrets, silentLogger);
  assert.deepEqual(await vault.lookup(ACCOUNT), { state: 'ok', password: '{not json but a password' });
  assert.match(secrets.values.get('letterbox.password.work') ?? '', /"host":"imap.example.org"/);
  assert.equal((await vault.lookup({ ...ACCOUNT, host: 'evil.example.net' })).state, 'otherServer');
});

test('nothing stored and deleted passwords are "missing"', async () => {
  const vault = new PasswordVault(memorySecrets(), silentLogger);
  assert.deepEqual(await vault.lookup(ACCOUNT), { state: 'missing' });
  await vault.store(ACCOUNT, 'x');
  await vault.delete(ACCOUNT.id);
  assert.deepEqual(await vault.lookup(ACCOUNT), { state: 'missing' });
});
