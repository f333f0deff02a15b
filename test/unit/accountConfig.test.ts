// Accounts edited by hand in settings.json: good entries load with sensible defaults, bad ones are reported with
// what to fix, and nothing is dropped silently.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAccounts, toSettingsEntry } from '../../src/accounts/accountConfig';

test('a minimal entry gets the default port, security, user, id and label', () => {
  const { accounts, problems } = parseAccounts([
    { protocol: 'IMAP', host: 'imap.example.org', email: 'me@example.org' },
  ]);
  assert.deepEqual(problems, []);
  assert.deepEqual(accounts[0], {
    id: 'imap:me@example.org@imap.example.org',
    label: 'me@example.org',
    email: 'me@example.org',
    protocol: 'imap',
    host: 'imap.example.org',
    port: 993,
    security: 'tls',
    user: 'me@example.org',
    pinnedCertificateSha256: undefined,
  });
  const pop = parseAccounts([{ protocol: 'pop3', host: 'pop.example.org', user: 'me', security: 'starttls' }])
    .accounts[0];
  assert.equal(pop.port, 110);
  assert.deepEqual(pop.pop3, { leaveOnServer: true, deleteAfterDays: undefined, deleteWhenDeletedLocally: false });
});

test('each broken entry is reported with its position and what is wrong, and the good ones still load', () => {
  const { accounts, problems } = parseAccounts([
    { protocol: 'smtp', host: 'x' },
    { protocol: 'imap' },
    { protocol: 'imap', host: 'h', user: 'u', port: 70000 },
    { protocol: 'imap', host: 'h', user: 'u', security: 'ssl' },
    { protocol: 'pop3', host: 'h', user: 'u', pop3: { deleteAfterDays: -3 } },
    'not an object',
    { id: 'same', protocol: 'imap', host: 'h', user: 'u' },
    { id: 'same', protocol: 'imap', host: 'h2', user: 'u' },
    { protocol: 'imap', host: 'ok.example.org', user: 'fine' },
  ]);
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      'account 1 in letterbox.accounts: "protocol" must be "imap" or "pop3", not "smtp"',
      'account 2 in letterbox.accounts: "host" is missing',
      'account 3 in letterbox.accounts: "port" must be a number from 1 to 65535, not "70000"',
      'account 4 in letterbox.accounts: "security" must be one of tls, starttls, none',
      'account 5 in letterbox.accounts: "pop3.deleteAfterDays" must be a whole number of days',
      'account 6 in letterbox.accounts: it is not an object',
      'account 8 in letterbox.accounts: the id "same" is used twice',
    ],
  );
  assert.deepEqual(
    accounts.map((a) => a.host),
    ['h', 'ok.example.org'],
  );
});

test('a setting that is not a list is reported, and a missing one is simply no accounts', () => {
  assert.deepEqual(parseAccounts({ protocol: 'imap' }).problems, [
    { index: -1, message: 'letterbox.accounts must be a list of accounts' },
  ]);
  assert.deepEqual(parseAccounts(undefined), { accounts: [], problems: [] });
});

test('what is written back holds no secret and round-trips', () => {
  const [account] = parseAccounts([
    { protocol: 'pop3', host: 'h', user: 'u', password: 'leaked?', pop3: { leaveOnServer: true, deleteAfterDays: 7 } },
  ]).accounts;
  const entry = toSettingsEntry(account);
  assert.equal(JSON.stringify(entry).includes('leaked'), false, 'a password typed into settings is not carried along');
  assert.deepEqual(parseAccounts([entry]).accounts[0], account);
});

test('ids that are empty, "." or "..", or hold a path separator are refused: they would name another folder', () => {
  const base = { protocol: 'pop3', host: 'pop.example.org', user: 'me' };
  const { accounts, problems } = parseAccounts([
    { ...base, id: '..' },
    { ...base, id: '.' },
    { ...base, id: 'a/b' },
    { ...base, id: '..\\x' },
    { ...base, id: ' ' },
    { ...base, id: 'fine' },
  ]);
  assert.deepEqual(
    accounts.map((account) => account.id),
    ['pop3:me@pop.example.org', 'fine'],
    'a blank id falls back to the default',
  );
  assert.equal(problems.length, 4, problems.map((p) => p.message).join('\n'));
  assert.match(problems[0].message, /"id" must not be empty, "." or ".."/);
  assert.match(problems[2].message, /must not contain/);
  // A blank id falls back to the default, which never holds a separator even for "DOMAIN\\user".
  const windowsUser = parseAccounts([{ ...base, user: 'CORP\\me' }]).accounts[0];
  assert.equal(windowsUser.id, 'pop3:CORP_me@pop.example.org');
});

test('an account signing in with OAuth2: its block is checked (HTTPS endpoints, a client id, scopes) and kept', () => {
  const base = { id: 'o', protocol: 'imap', host: 'imap.example.org', user: 'ann@example.org' };
  const oauth = {
    name: 'Example',
    authorizeUrl: 'https://login.example.org/authorize',
    tokenUrl: 'https://login.example.org/token',
    clientId: 'letterbox',
    scopes: ['mail', 'offline_access'],
  };
  const { accounts } = parseAccounts([{ ...base, oauth }]);
  assert.deepEqual(accounts[0].oauth, oauth);
  assert.deepEqual(toSettingsEntry(accounts[0]).oauth, oauth);
  const plainHttp = parseAccounts([{ ...base, oauth: { ...oauth, tokenUrl: 'http://login.example.org/token' } }]);
  assert.match(plainHttp.problems[0].message, /"oauth.tokenUrl": an OAuth2 endpoint must use HTTPS/);
  const noScopes = parseAccounts([{ ...base, oauth: { ...oauth, scopes: [] } }]);
  assert.match(noScopes.problems[0].message, /"oauth.scopes" must list the scopes/);
  const noClient = parseAccounts([{ ...base, oauth: { ...oauth, clientId: '' } }]);
  assert.match(noClient.problems[0].message, /"oauth.clientId" is missing/);
});
