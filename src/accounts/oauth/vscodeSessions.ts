// Microsoft sign-in through VS Code's own `microsoft` authentication provider, where the host has it (desktop VS
// Code): the user signs in with the account picker they know from Settings Sync and Copilot, VS Code keeps and
// renews the tokens (MSAL, and the Windows broker), and Letterbox asks for a token before each connect. Our app
// registration is named by the VSCODE_CLIENT_ID: and VSCODE_TENANT: scopes beside the protocol's own scope; the
// account's user name is the session's account. Where the provider is missing (VSCodium, code-server, the web),
// oauthAccounts.ts uses our own PKCE flow (tokenSource.ts) instead. VS Code-free: the API is handed in.
import type { AccessTokens } from '../../mail/accessTokens';
import { MailError } from '../../mail/mailError';
import type { OAuthProvider } from './oauthProvider';

export const MICROSOFT_PROVIDER_ID = 'microsoft';

export interface SessionAccount {
  id: string;
  label: string;
}

export interface Session {
  accessToken: string;
  account: SessionAccount;
}

/** The part of `vscode.authentication` used here; `getAccounts` and `account` exist from VS Code 1.93 on. */
export interface SessionApi {
  getSession(
    providerId: string,
    scopes: readonly string[],
    options: {
      silent?: boolean;
      createIfNone?: boolean;
      forceNewSession?: boolean | { detail?: string };
      account?: SessionAccount;
    },
  ): PromiseLike<Session | undefined>;
  getAccounts?(providerId: string): PromiseLike<readonly SessionAccount[]>;
}

/** Whether the provider is Microsoft's identity platform (the one VS Code's built-in provider signs in to). */
export function isMicrosoft(provider: OAuthProvider): boolean {
  try {
    return new URL(provider.authorizeUrl).hostname === 'login.microsoftonline.com';
  } catch {
    return false;
  }
}

/** What VS Code's provider is asked for: our client id and tenant, then the protocol's scopes. */
export function sessionScopes(provider: OAuthProvider): string[] {
  // https://login.microsoftonline.com/<tenant>/oauth2/v2.0/authorize: common, organizations, consumers or an id.
  const tenant = new URL(provider.authorizeUrl).pathname.split('/')[1] || 'common';
  return [`VSCODE_CLIENT_ID:${provider.clientId}`, `VSCODE_TENANT:${tenant}`, ...provider.scopes];
}

/** The provider is not there after all (a build without it): the caller falls back to its own flow. */
export function providerMissing(error: unknown): boolean {
  return error instanceof Error && /no authentication provider/i.test(error.message);
}

export class VsCodeSessionTokens implements AccessTokens {
  private readonly scopes: string[];

  constructor(
    private readonly provider: OAuthProvider,
    private readonly user: string,
    private readonly api: SessionApi,
  ) {
    this.scopes = sessionScopes(provider);
  }

  async accessToken(): Promise<string> {
    const session = await this.api.getSession(MICROSOFT_PROVIDER_ID, this.scopes, {
      silent: true,
      ...(await this.accountOption()),
    });
    if (!session)
      throw new MailError(
        'auth',
        `not signed in to ${this.provider.name} as ${this.user} in VS Code: sign in to connect`,
        {
          signIn: true,
        },
      );
    if (!sameUser(session.account.label, this.user))
      throw new MailError(
        'auth',
        `VS Code is signed in to ${this.provider.name} as ${session.account.label}, not ${this.user}: sign in as ${this.user}`,
        { signIn: true },
      );
    return session.accessToken;
  }

  /** VS Code renews its tokens itself; a token refused twice leads to "Sign in again" (withTokenRetry). */
  invalidate(): void {}

  /**
   * Asks VS Code for a session, with its account picker and sign-in page; a new one when a session exists (the
   * server refused its token). Resolves to the account signed in to, which is the account's user name.
   */
  async signIn(): Promise<string> {
    const known = await this.accountOption();
    const existing = await this.api.getSession(MICROSOFT_PROVIDER_ID, this.scopes, { silent: true, ...known });
    const session = existing
      ? await this.api.getSession(MICROSOFT_PROVIDER_ID, this.scopes, {
          forceNewSession: { detail: `The mail server refused the sign-in of ${this.user}: sign in again.` },
          ...known,
        })
      : await this.api.getSession(MICROSOFT_PROVIDER_ID, this.scopes, { createIfNone: true, ...known });
    if (!session) throw new MailError('auth', `the sign-in to ${this.provider.name} was not finished`);
    return session.account.label;
  }

  /** The VS Code account of this user, where VS Code can say (1.93 on): several Microsoft mail accounts coexist. */
  private async accountOption(): Promise<{ account?: SessionAccount }> {
    if (!this.api.getAccounts) return {};
    try {
      const accounts = await this.api.getAccounts(MICROSOFT_PROVIDER_ID);
      const account = accounts.find((candidate) => sameUser(candidate.label, this.user));
      return account ? { account } : {};
    } catch {
      return {};
    }
  }
}

/** The same mailbox user: an address or UPN, whatever its case. */
export function sameUser(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
