// Microsoft sign-in through VS Code's own `microsoft` provider, with a fake of that provider (VS Code's API has no
// test double; its contract is the getSession options): our client id and tenant go in as VSCODE_ scopes with
// only the protocol's scope, the session's account is the account's user, several Microsoft accounts each get
// their own session, and where the provider turns out to be missing the accounts use Letterbox's own sign-in.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { OAuthAccounts } from '../../src/accounts/oauthAccounts';
import { oauthClients, PUBLISHER_MICROSOFT_CLIENT_ID } from '../../src/accounts/oauthClients';
import type { OAuthProvider } from '../../src/accounts/oauth/oauthProvider';
import {
  sessionScopes,
  VsCodeSessionTokens,
  type Session,
  type SessionAccount,
  type SessionApi,
} from '../../src/accounts/oauth/vscodeSessions';
import { SETTINGS, settingValue, type SettingValues } from '../../src/accounts/settingsTable';
import { silentLogger } from '../../src/mail/logger';
import { MailError } from '../../src/mail/mailError';

const MICROSOFT: OAuthProvider = {
  name: 'Microsoft',
  authorizeUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
  tokenUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
  clientId: 'our-client',
  scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access'],
};

type Call = { scopes: readonly string[]; options: Parameters<SessionApi['getSession']>[2] };

/** VS Code's provider as extensions see it: sessions by account, a sign-in that picks `signInAs`. */
function fakeProvider(options: { accounts?: string[]; signInAs?: string; withAccountsApi?: boolean } = {}) {
  const sessions = new Map<string, Session>();
  let n = 0;
  for (const label of options.accounts ?? [])
    sessions.set(label, { accessToken: `token-${label}-${++n}`, account: { id: label, label } });
  const calls: Call[] = [];
  const api: SessionApi = {
    getSession: async (providerId, scopes, request) => {
      assert.equal(providerId, 'microsoft');
      calls.push({ scopes, options: request });
      const chosen = request.account?.label ?? [...sessions.keys()][0];
      if (request.silent) return chosen ? sessions.get(chosen) : undefined;
      const label = options.signInAs ?? chosen ?? 'nobody@example.org';
      const session = { accessToken: `token-${label}-${++n}`, account: { id: label, label } };
      sessions.set(label, session);
      return session;
    },
    ...(options.withAccountsApi === false
      ? {}
      : {
          getAccounts: async (): Promise<SessionAccount[]> => [...sessions.values()].map((session) => session.account),
        }),
  };
  return { api, calls, sessions };
}

describe("Microsoft sign-in through VS Code's provider", () => {
  test('asks for our client id and tenant with the protocol scope, nothing of Graph', () => {
    assert.deepEqual(sessionScopes(MICROSOFT), [
      'VSCODE_CLIENT_ID:our-client',
      'VSCODE_TENANT:organizations',
      'https://outlook.office.com/IMAP.AccessAsUser.All',
      'offline_access',
    ]);
  });

  test("a token comes from the user's own session; none, or another user's, leads to sign-in", async () => {
    const nobody = fakeProvider();
    const tokens = new VsCodeSessionTokens(MICROSOFT, 'ann@contoso.com', nobody.api);
    await assert.rejects(tokens.accessToken(), (error: unknown) => {
      assert.ok(error instanceof MailError && error.kind === 'auth' && error.signIn);
      assert.match(error.message, /not signed in to Microsoft as ann@contoso\.com/);
      return true;
    });
    assert.equal(nobody.calls[0]!.options.silent, true, 'connecting never opens a sign-in page');

    // VS Code before 1.93 cannot pick an account: its default session is someone else's.
    const other = fakeProvider({ accounts: ['bob@contoso.com'], withAccountsApi: false });
    await assert.rejects(
      new VsCodeSessionTokens(MICROSOFT, 'ann@contoso.com', other.api).accessToken(),
      /signed in to Microsoft as bob@contoso\.com, not ann@contoso\.com/,
    );

    const both = fakeProvider({ accounts: ['bob@contoso.com', 'Ann@Contoso.com'] });
    const token = await new VsCodeSessionTokens(MICROSOFT, 'ann@contoso.com', both.api).accessToken();
    assert.match(token, /^token-Ann@Contoso\.com-/, "each account gets its own user's session");
    assert.equal(both.calls[0]!.options.account?.label, 'Ann@Contoso.com');
  });

  test('sign-in creates a session, or a new one when the server refused the one there is; it names the user', async () => {
    const fresh = fakeProvider({ signInAs: 'ann@contoso.com' });
    assert.equal(await new VsCodeSessionTokens(MICROSOFT, 'ann@contoso.com', fresh.api).signIn(), 'ann@contoso.com');
    assert.equal(fresh.calls.at(-1)!.options.createIfNone, true);

    const refused = fakeProvider({ accounts: ['ann@contoso.com'] });
    await new VsCodeSessionTokens(MICROSOFT, 'ann@contoso.com', refused.api).signIn();
    assert.ok(refused.calls.at(-1)!.options.forceNewSession, 'a new session, not the refused one again');
  });
});

describe('OAuth2 accounts choose their sign-in', () => {
  const root = mkdtempSync(join(tmpdir(), 'letterbox-oauth-accounts-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const account = (id: string, oauth: OAuthProvider): AccountConfig => ({
    id,
    label: id,
    email: 'ann@contoso.com',
    protocol: 'imap',
    host: 'outlook.office365.com',
    port: 993,
    security: 'tls',
    user: 'ann@contoso.com',
    oauth,
  });
  const secrets = () => {
    const values = new Map<string, string>();
    return {
      get: async (key: string) => values.get(key),
      store: async (key: string, value: string) => void values.set(key, value),
      delete: async (key: string) => void values.delete(key),
    };
  };
  const log = silentLogger;
  const opened: string[] = [];
  const openBrowser = async (url: string) => {
    opened.push(url);
    return false;
  };

  test("Microsoft goes through VS Code's session; another provider through Letterbox's own page", async () => {
    const provider = fakeProvider({ accounts: ['ann@contoso.com'] });
    const accounts = new OAuthAccounts(secrets(), root, log, { openBrowser, builtIn: provider.api });
    assert.match(await accounts.tokensFor(account('ms', MICROSOFT))!.accessToken(), /^token-ann@contoso\.com/);
    const other = { ...MICROSOFT, authorizeUrl: 'https://login.example.org/authorize' };
    await assert.rejects(accounts.tokensFor(account('other', other))!.accessToken(), /not signed in to Microsoft/);
    assert.equal(provider.calls.length, 1, 'the other provider never asked VS Code');
  });

  test("where VS Code's provider turns out to be missing, Letterbox's own sign-in page opens instead", async () => {
    let asked = 0;
    const missing: SessionApi = {
      getSession: async () => {
        asked++;
        throw new Error("No authentication provider 'microsoft' is currently registered.");
      },
    };
    const accounts = new OAuthAccounts(secrets(), root, log, { openBrowser, builtIn: missing });
    const ms = account('ms-missing', MICROSOFT);
    // Own flow: nothing stored yet, so "not signed in" (with the way forward), not the provider's error.
    await assert.rejects(accounts.tokensFor(ms)!.accessToken(), (error: unknown) => {
      assert.ok(error instanceof MailError && error.kind === 'auth');
      assert.match(error.message, /not signed in to Microsoft: sign in/);
      return true;
    });
    await assert.rejects(accounts.signIn(ms), /could not be opened/);
    assert.match(opened.at(-1)!, /^https:\/\/login\.microsoftonline\.com\/organizations\/oauth2\/v2\.0\/authorize\?/);
    assert.equal(asked, 1, 'asked once, then no more');
  });
});

describe('OAuth2 client ids', () => {
  const settingsOf = (values: Partial<SettingValues>) => ({
    get: <K extends keyof SettingValues>(key: K): SettingValues[K] =>
      (values[key] ?? SETTINGS[key].default) as SettingValues[K],
  });
  const found = (issuer: string) => ({ issuer, authorizeUrl: 'https://x/a', tokenUrl: 'https://x/t', scopes: ['m'] });

  test("the user's client for a provider named by its autoconfig; a broken entry is left out", () => {
    const table = settingValue('oauth.clients', {
      globalValue: { 'Login.Example.org': { clientId: ' mine ' }, 'bad.example.org': { clientId: '' }, x: 3 },
    });
    assert.deepEqual(table, { 'login.example.org': { clientId: 'mine' } });
    const clients = oauthClients(settingsOf({ 'oauth.clients': table }));
    assert.deepEqual(clients(found('login.example.org')), { clientId: 'mine' });
    assert.equal(clients(found('bad.example.org')), undefined);
    // A workspace cannot choose the app the user consents to.
    assert.deepEqual(settingValue('oauth.clients', { effectiveValue: { 'a.example': { clientId: 'planted' } } }), {});
  });

  test("Microsoft: the user's registration over the publisher's", () => {
    const clients = oauthClients(settingsOf({ 'oauth.microsoftClientId': 'org-app' }));
    assert.deepEqual(clients(found('login.microsoftonline.com')), { clientId: 'org-app' });
    const none = oauthClients(settingsOf({}))(found('login.microsoftonline.com'));
    assert.deepEqual(none, PUBLISHER_MICROSOFT_CLIENT_ID ? { clientId: PUBLISHER_MICROSOFT_CLIENT_ID } : undefined);
  });
});
