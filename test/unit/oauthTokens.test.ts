// The access-token source and the loopback redirect without a network: a token renewed a minute before it expires,
// one renewal for many callers, the rotation stored before use, the caller's lock around every renewal; the
// redirect listener takes only its own state, says when the sign-in was refused, and gives up in time.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FormPoster } from '../../src/accounts/oauth/oauthClient';
import { authorizationUrl, refreshTokens } from '../../src/accounts/oauth/oauthClient';
import { listenForRedirect } from '../../src/accounts/oauth/loopbackRedirect';
import type { OAuthProvider } from '../../src/accounts/oauth/oauthProvider';
import { checkEndpoint } from '../../src/accounts/oauth/oauthProvider';
import { OAuthTokenSource, type RefreshTokenVault } from '../../src/accounts/oauth/tokenSource';
import { makeSelfSignedCertificate } from '../servers/certificate';
import { listenOnLoopback } from '../servers/ports';

const PROVIDER: OAuthProvider = {
  name: 'Example',
  authorizeUrl: 'https://login.example.org/authorize',
  tokenUrl: 'https://login.example.org/token',
  clientId: 'client',
  scopes: ['mail', 'offline_access'],
};

function vault(initial?: string): RefreshTokenVault & { value?: string; writes: string[] } {
  const store: RefreshTokenVault & { value?: string; writes: string[] } = {
    value: initial,
    writes: [],
    get: async () => store.value,
    set: async (token) => {
      store.writes.push(token);
      store.value = token;
    },
    clear: async () => void (store.value = undefined),
  };
  return store;
}

/** A token endpoint that rotates: each refresh gives access token n and refresh token n. */
function rotating(): FormPoster & { calls: Array<Record<string, string>> } {
  let n = 0;
  const post = (async (_url: string, form: Record<string, string>) => {
    post.calls.push(form);
    n++;
    return { status: 200, body: { access_token: `at${n}`, refresh_token: `rt${n}`, expires_in: 3600 } };
  }) as FormPoster & { calls: Array<Record<string, string>> };
  post.calls = [];
  return post;
}

describe('Access tokens', () => {
  test('kept until a minute before they expire, then renewed with the stored, rotated refresh token', async () => {
    let now = 1_000_000;
    const post = rotating();
    const store = vault('rt0');
    const tokens = new OAuthTokenSource(PROVIDER, store, { post, now: () => now });
    assert.equal(await tokens.accessToken(), 'at1');
    assert.deepEqual(post.calls[0], { grant_type: 'refresh_token', refresh_token: 'rt0', client_id: 'client' });
    assert.equal(store.value, 'rt1');
    now += 3_500_000;
    assert.equal(await tokens.accessToken(), 'at1', 'still valid');
    now += 60_000;
    assert.equal(await tokens.accessToken(), 'at2', 'renewed a minute early');
    assert.deepEqual(store.writes, ['rt1', 'rt2']);
  });

  test('many callers at once cause one renewal, inside the lock', async () => {
    const post = rotating();
    let locked = 0;
    const tokens = new OAuthTokenSource(PROVIDER, vault('rt0'), {
      post,
      exclusive: async (work) => {
        locked++;
        return work();
      },
    });
    const answers = await Promise.all(Array.from({ length: 5 }, () => tokens.accessToken()));
    assert.deepEqual(new Set(answers), new Set(['at1']));
    assert.equal(post.calls.length, 1);
    assert.equal(locked, 1);
  });

  test('not signed in, or refused: an auth error, and a refused refresh token is forgotten', async () => {
    await assert.rejects(new OAuthTokenSource(PROVIDER, vault()).accessToken(), /not signed in to Example/);
    const store = vault('dead');
    const refused: FormPoster = async () => ({ status: 400, body: { error: 'invalid_grant' } });
    await assert.rejects(new OAuthTokenSource(PROVIDER, store, { post: refused }).accessToken(), /sign in again/);
    assert.equal(store.value, undefined);
  });

  test('endpoints must be HTTPS (plain HTTP only on loopback); the authorization URL carries PKCE and state', () => {
    assert.throws(() => checkEndpoint('http://login.example.org/token'), /must use HTTPS/);
    assert.equal(checkEndpoint('http://127.0.0.1:8080/token').port, '8080');
    const url = new URL(
      authorizationUrl(PROVIDER, {
        redirectUri: 'http://127.0.0.1:5/callback',
        state: 's',
        challenge: 'c',
        loginHint: 'a@b',
      }),
    );
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('code_challenge'), 'c');
    assert.equal(url.searchParams.get('state'), 's');
    assert.equal(url.searchParams.get('scope'), 'mail offline_access');
    assert.equal(url.searchParams.get('login_hint'), 'a@b');
  });
});

describe('The loopback redirect', () => {
  test('ignores a redirect with another state, takes the one with its own', async () => {
    const redirect = await listenForRedirect('mine');
    assert.match(redirect.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const stranger = await fetch(`${redirect.redirectUri}?state=other&code=stolen`);
    assert.equal(stranger.status, 400);
    const own = await fetch(`${redirect.redirectUri}?state=mine&code=the-code`);
    assert.equal(own.status, 200);
    assert.equal(await redirect.code, 'the-code');
  });

  test('a refused sign-in and a deadline end the wait with a reason', async () => {
    const refused = await listenForRedirect('s');
    await fetch(`${refused.redirectUri}?state=s&error=access_denied`);
    await assert.rejects(refused.code, /refused \(access_denied\)/);
    const late = await listenForRedirect('s', 50);
    await assert.rejects(late.code, /nobody signed in within 1 s/);
  });
});

describe('The token endpoint', () => {
  test('out of reach: the error says why (a certificate refused), not only "fetch failed"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'letterbox-token-endpoint-'));
    const certificate = makeSelfSignedCertificate(dir, 'localhost');
    const server = createServer({ cert: certificate.pem, key: readFileSync(certificate.keyPath) }, (_q, r) =>
      r.end('{}'),
    );
    const port = await listenOnLoopback(server);
    try {
      const provider = { ...PROVIDER, tokenUrl: `https://localhost:${port}/token` };
      await assert.rejects(
        refreshTokens(provider, 'rt'),
        /cannot reach Example's sign-in service: fetch failed \(.*self[- ]signed certificate/,
      );
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
