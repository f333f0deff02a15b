// A fake OAuth2 authorization server on loopback, strict where a real one is: the authorization endpoint answers a
// request with PKCE (S256) and a state by redirecting to the loopback redirect URI with a code, as if the user
// approved; the token endpoint checks the code's verifier and redirect URI, issues short-lived access tokens and
// rotating refresh tokens (a used refresh token is dead); RFC 7662 introspection for Dovecot; revoke() signs a
// user out everywhere. Only for tests: a real provider is what users sign in to.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { listenOnLoopback } from './ports';

interface PendingCode {
  user: string;
  challenge: string;
  redirectUri: string;
  clientId: string;
}

export class FakeAuthServer {
  port = 0;
  /** Seconds an access token lives. */
  accessTokenSeconds = 3600;
  /** Who the next authorization request signs in as. */
  approveAs = '';
  readonly issued: Array<{ kind: 'access' | 'refresh'; token: string; user: string }> = [];
  /** Every token endpoint call, for tests to count refreshes. */
  readonly tokenCalls: string[] = [];
  private readonly codes = new Map<string, PendingCode>();
  private readonly access = new Map<string, { user: string; expires: number }>();
  private readonly refresh = new Map<string, string>();
  private readonly server: Server;
  /** The same endpoints over HTTPS (listenTls), as a real provider serves them. */
  private tlsServer: HttpsServer | undefined;
  private readonly handle: RequestListener;

  private constructor(readonly clientId: string) {
    this.handle = (request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const form = new URLSearchParams(body);
        const json = (status: number, value: unknown) =>
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (url.pathname === '/authorize') return this.authorize(url, response);
        if (url.pathname === '/token' && request.method === 'POST') return this.token(form, json);
        if (url.pathname === '/introspect' && request.method === 'POST') {
          const entry = this.access.get(form.get('token') ?? '');
          const active = Boolean(entry && entry.expires > Date.now());
          return json(200, active ? { active: true, username: entry!.user } : { active: false });
        }
        response.writeHead(404).end();
      });
    };
    this.server = createServer(this.handle);
  }

  static async start(clientId = 'letterbox-test'): Promise<FakeAuthServer> {
    const server = new FakeAuthServer(clientId);
    server.port = await listenOnLoopback(server.server);
    return server;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every token of the user stops working (an admin, or the user, revoked the app's access). */
  revoke(user: string): void {
    for (const [token, entry] of this.access) if (entry.user === user) this.access.delete(token);
    for (const [token, owner] of this.refresh) if (owner === user) this.refresh.delete(token);
  }

  /** The access token stops working now, as when it expires. */
  expireAccessTokens(): void {
    for (const entry of this.access.values()) entry.expires = 0;
  }

  /** Serves the endpoints over HTTPS too, with this certificate; resolves to that origin. */
  async listenTls(certificate: { certPath: string; keyPath: string }): Promise<string> {
    this.tlsServer = createHttpsServer(
      { cert: readFileSync(certificate.certPath), key: readFileSync(certificate.keyPath) },
      this.handle,
    );
    return `https://127.0.0.1:${await listenOnLoopback(this.tlsServer)}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.tlsServer ? this.tlsServer.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private authorize(url: URL, response: import('node:http').ServerResponse): void {
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    const problem =
      url.searchParams.get('response_type') !== 'code'
        ? 'unsupported_response_type'
        : url.searchParams.get('client_id') !== this.clientId
          ? 'unauthorized_client'
          : url.searchParams.get('code_challenge_method') !== 'S256' || !url.searchParams.get('code_challenge')
            ? 'invalid_request'
            : !/^http:\/\/127\.0\.0\.1:\d+\/callback$/.test(redirectUri)
              ? 'invalid_request'
              : !this.approveAs
                ? 'access_denied'
                : undefined;
    if (problem && !/^http:\/\/127\.0\.0\.1:\d+\//.test(redirectUri)) return void response.writeHead(400).end(problem);
    const back = new URL(redirectUri);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    if (problem) back.searchParams.set('error', problem);
    else {
      const code = randomBytes(16).toString('hex');
      this.codes.set(code, {
        user: this.approveAs,
        challenge: url.searchParams.get('code_challenge')!,
        redirectUri,
        clientId: this.clientId,
      });
      back.searchParams.set('code', code);
    }
    response.writeHead(302, { location: back.toString() }).end();
  }

  private token(form: URLSearchParams, json: (status: number, value: unknown) => void): void {
    const grant = form.get('grant_type');
    this.tokenCalls.push(grant ?? '');
    if (form.get('client_id') !== this.clientId) return json(401, { error: 'invalid_client' });
    let user: string | undefined;
    if (grant === 'authorization_code') {
      const pending = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!pending || pending.challenge !== challenge || pending.redirectUri !== form.get('redirect_uri'))
        return json(400, { error: 'invalid_grant' });
      user = pending.user;
    } else if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      user = this.refresh.get(token);
      // Rotation: a refresh token works once.
      this.refresh.delete(token);
      if (!user) return json(400, { error: 'invalid_grant' });
    } else return json(400, { error: 'unsupported_grant_type' });
    const access = `at-${randomBytes(12).toString('hex')}`;
    const refresh = `rt-${randomBytes(12).toString('hex')}`;
    this.access.set(access, { user, expires: Date.now() + this.accessTokenSeconds * 1000 });
    this.refresh.set(refresh, user);
    this.issued.push({ kind: 'access', token: access, user }, { kind: 'refresh', token: refresh, user });
    json(200, {
      access_token: access,
      token_type: 'Bearer',
      expires_in: this.accessTokenSeconds,
      refresh_token: refresh,
    });
  }
}
