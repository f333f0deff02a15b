// OAuth2 sign-in against a real Dovecot that checks tokens with a fake authorization server (RFC 7662
// introspection): the authorization code flow with PKCE and a loopback redirect, IMAP and POP3 signed in with the
// access token, a refused token renewed once without the user, a rotated refresh token kept (and working after a
// window reload), a revoked sign-in leading to "sign in again", and no token in any log line.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exchangeCode } from '../../src/accounts/oauth/oauthClient';
import type { OAuthProvider } from '../../src/accounts/oauth/oauthProvider';
import { signIn } from '../../src/accounts/oauth/signIn';
import { OAuthTokenSource, type RefreshTokenVault } from '../../src/accounts/oauth/tokenSource';
import { MailError } from '../../src/mail/mailError';
import { waysForward } from '../../src/mail/waysForward';
import { ImapBackend } from '../../src/protocols/imap/imapBackend';
import { DovecotServer, type TestUser } from '../servers/dovecot';
import { FakeAuthServer } from '../servers/fakeAuthServer';
import { dovecotSettings } from '../servers/serverSettings';
import { appendMessages } from '../mail/mailbox';
import { buildMessage } from '../mail/messageBuilder';
import { collectingLogger } from './imapHelpers';
import { pop3Fixture, removeStores } from './pop3Helpers';

let auth: FakeAuthServer;
let server: DovecotServer;
before(async () => {
  auth = await FakeAuthServer.start();
  server = await DovecotServer.start({ oauth2IntrospectionUrl: `${auth.origin}/introspect` });
});
after(async () => {
  await server?.stop();
  await auth?.stop();
  removeStores();
});

const provider = (): OAuthProvider => ({
  name: 'Example Mail',
  authorizeUrl: `${auth.origin}/authorize`,
  tokenUrl: `${auth.origin}/token`,
  clientId: auth.clientId,
  scopes: ['mail', 'offline_access'],
});

/** A vault as SecretStorage is: one value, shared by every window. */
function memoryVault(): RefreshTokenVault & { value?: string } {
  const vault: RefreshTokenVault & { value?: string } = {
    get: async () => vault.value,
    set: async (token) => void (vault.value = token),
    clear: async () => void (vault.value = undefined),
  };
  return vault;
}

/** The user's browser: opens the sign-in page (approved at once by the fake), follows its redirect to loopback. */
async function browser(url: string): Promise<boolean> {
  const page = await fetch(url, { redirect: 'manual' });
  const location = page.headers.get('location');
  if (!location) return false;
  await fetch(location);
  return true;
}

async function signedIn(user: TestUser) {
  auth.approveAs = user.user;
  const vault = memoryVault();
  const tokens = new OAuthTokenSource(provider(), vault);
  await tokens.signedIn(await signIn(provider(), { openBrowser: browser, loginHint: user.user }));
  return { vault, tokens };
}

function imapWithToken(user: TestUser, tokens: OAuthTokenSource, log = collectingLogger()) {
  return new ImapBackend({
    account: `oauth-${user.user}`,
    server: dovecotSettings(server, user, 'imap'),
    password: async () => {
      throw new Error('an OAuth2 account has no password');
    },
    oauth: tokens,
    log,
  });
}

describe('OAuth2 sign-in against Dovecot', () => {
  test('sign in with PKCE through the loopback redirect, then IMAP and POP3 with the access token', async () => {
    const user = server.addUser('oauth-first');
    await appendMessages(server, user, 'INBOX', [{ raw: buildMessage({ subject: 'Signed in' }) }]);
    const { vault, tokens } = await signedIn(user);
    assert.match(vault.value ?? '', /^rt-/, 'the refresh token is kept in the vault');
    const log = collectingLogger();
    const imap = imapWithToken(user, tokens, log);
    try {
      const folders = await imap.listFolders();
      assert.ok(folders.some((folder) => folder.path === 'INBOX'));
      assert.ok(log.lines.some((line) => /AUTHENTICATE (OAUTHBEARER|XOAUTH2)/.test(line)));
    } finally {
      await imap.close();
    }
    const pop3Backend = pop3Fixture(server, user, { oauth: tokens, log }).backend;
    try {
      const report = await pop3Backend.localStore!.sync();
      assert.equal(report.downloaded, 1);
    } finally {
      await pop3Backend.close();
    }
    const secrets = auth.issued.map((entry) => entry.token);
    assert.deepEqual(
      log.lines.filter((line) => secrets.some((secret) => line.includes(secret))),
      [],
      'no token in any log line',
    );
  });

  test('a token the server refuses is renewed once, the rotated refresh token kept; a reload signs in with it', async () => {
    const user = server.addUser('oauth-renew');
    const { vault, tokens } = await signedIn(user);
    const first = vault.value;
    auth.expireAccessTokens();
    const imap = imapWithToken(user, tokens);
    try {
      await imap.listFolders();
    } finally {
      await imap.close();
    }
    assert.equal(auth.tokenCalls.filter((call) => call === 'refresh_token').length >= 1, true);
    assert.notEqual(vault.value, first, 'the rotated refresh token replaced the used one');
    // A window reload: a new token source, only the vault remembers.
    auth.expireAccessTokens();
    const reloaded = new OAuthTokenSource(provider(), vault);
    const again = imapWithToken(user, reloaded);
    try {
      await again.listFolders();
    } finally {
      await again.close();
    }
  });

  test('a revoked sign-in says to sign in again, and the dead refresh token is forgotten', async () => {
    const user = server.addUser('oauth-revoked');
    const { vault, tokens } = await signedIn(user);
    auth.revoke(user.user);
    const imap = imapWithToken(user, tokens);
    try {
      await assert.rejects(imap.listFolders(), (error: unknown) => {
        assert.ok(error instanceof MailError && error.kind === 'auth', String(error));
        assert.match((error as Error).message, /sign in again/);
        assert.deepEqual(waysForward(error as MailError)[0], 'signIn', 'the way forward is the sign-in page');
        return true;
      });
    } finally {
      await imap.close();
    }
    assert.equal(vault.value, undefined);
  });

  test('the token endpoint refuses a code without its PKCE verifier', async () => {
    const user = server.addUser('oauth-pkce');
    auth.approveAs = user.user;
    let captured = '';
    await signIn(provider(), {
      openBrowser: async (url) => {
        const page = await fetch(url, { redirect: 'manual' });
        const location = new URL(page.headers.get('location')!);
        captured = location.searchParams.get('code') ?? '';
        // The real callback gets an error instead, so the sign-in above ends.
        location.searchParams.delete('code');
        location.searchParams.set('error', 'access_denied');
        await fetch(location);
        return true;
      },
    }).catch(() => undefined);
    await assert.rejects(
      exchangeCode(provider(), {
        code: captured,
        verifier: 'not-the-verifier',
        redirectUri: 'http://127.0.0.1:1/callback',
      }),
      /invalid_grant/,
    );
  });
});
