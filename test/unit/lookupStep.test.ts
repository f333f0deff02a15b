// What Add Account shows after the address: the servers found, with where they were found and whose they are,
// before any password is asked for; a provider Letterbox cannot sign in to yet is said plainly, not offered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiscoveryNet } from '../../src/accounts/discovery/discovery';
import { lookUp } from '../../src/accounts/lookupStep';

const net = (mx: string[] = []): DiscoveryNet => ({
  fetchText: async () => undefined,
  mx: async () => mx,
  srv: async () => [],
  probe: async () => false,
});

test('found servers are shown in full with their source; "myself" starts from the best one', async () => {
  const { items, placeholder } = await lookUp('bob@gmail.com', net(), () => undefined);
  assert.deepEqual(
    items.map((item) => item.label),
    ['IMAP: imap.gmail.com', 'POP3: pop.gmail.com', 'Enter the settings myself'],
  );
  assert.match(items[0].description ?? '', /port 993 · TLS · user bob@gmail\.com · a server of gmail\.com/);
  assert.match(items[0].detail ?? '', /Letterbox's list of providers.*app password/);
  assert.equal(items[0].server?.host, 'imap.gmail.com');
  assert.equal(items[2].prefill?.host, 'imap.gmail.com');
  assert.match(placeholder, /Settings for Google/);
});

test('a provider that takes only its own sign-in (OAuth2), without a client id, is shown but cannot be chosen', async () => {
  const { items, placeholder } = await lookUp(
    'ann@contoso.example',
    net(['contoso-example.mail.protection.outlook.com']),
    () => undefined,
  );
  assert.ok(items.slice(0, 2).every((item) => item.unusable && !item.server));
  assert.match(items[0].detail ?? '', /only its own sign-in page \(OAuth2\).*letterbox\.oauth\.microsoftClientId/);
  assert.match(placeholder, /needs its own sign-in/);
  assert.equal(items.at(-1)?.label, 'Enter the settings myself');
});

test("with a client id, the provider's sign-in is offered, asking only the chosen protocol's access", async () => {
  const { items } = await lookUp(
    'ann@contoso.example',
    net(['contoso-example.mail.protection.outlook.com']),
    () => undefined,
    (oauth) => (oauth.issuer === 'login.microsoftonline.com' ? { clientId: 'org-app' } : undefined),
  );
  const [imap, pop3] = items;
  assert.equal(imap.server?.host, 'outlook.office365.com');
  assert.match(imap.description ?? '', /sign in with Microsoft 365/);
  assert.equal(imap.oauth?.clientId, 'org-app');
  assert.equal(imap.oauth?.authorizeUrl, 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
  assert.deepEqual(imap.oauth?.scopes, ['https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access']);
  assert.deepEqual(pop3.oauth?.scopes, ['https://outlook.office.com/POP.AccessAsUser.All', 'offline_access']);
  const google = await lookUp(
    'bob@gmail.com',
    net(),
    () => undefined,
    (oauth) =>
      oauth.issuer === 'accounts.google.com' ? { clientId: 'desktop', clientSecret: 'not-secret' } : undefined,
  );
  assert.equal(google.items[0].oauth?.clientSecret, 'not-secret');
  assert.deepEqual(google.items[0].oauth?.extraAuthorizeParams, { access_type: 'offline', prompt: 'consent' });
});

test('nothing found: only the manual steps, and the placeholder says so', async () => {
  const { items, placeholder } = await lookUp('ann@nowhere.example', net(), () => undefined);
  assert.deepEqual(
    items.map((item) => item.label),
    ['Enter the settings myself'],
  );
  assert.match(placeholder, /No settings were found/);
});
