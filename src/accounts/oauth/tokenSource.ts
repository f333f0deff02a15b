// The access tokens of one OAuth2 account, as the backends ask for them before each connect: kept in memory until a
// minute before they expire, then renewed with the refresh token from SecretStorage (never a token in settings,
// global state, logs or the webview). A provider that rotates refresh tokens gets the new one stored before the
// access token is used, and renewals are serialised across windows by the caller's lock: two windows renewing with
// the same refresh token at once would make the provider revoke both. VS Code-free.
import type { AccessTokens } from '../../mail/accessTokens';
import { MailError } from '../../mail/mailError';
import { refreshTokens, type FormPoster, postForm } from './oauthClient';
import type { OAuthProvider, TokenSet } from './oauthProvider';

/** Where the refresh token lives (SecretStorage, bound to the account like a password). */
export interface RefreshTokenVault {
  get(): Promise<string | undefined>;
  set(token: string): Promise<void>;
  clear(): Promise<void>;
}

export interface TokenSourceOptions {
  post?: FormPoster;
  now?: () => number;
  /** Runs a renewal as the one renewal of this account among all windows (a cross-process lock). */
  exclusive?<T>(work: () => Promise<T>): Promise<T>;
}

export class OAuthTokenSource implements AccessTokens {
  private current: TokenSet | undefined;
  private renewing: Promise<TokenSet> | undefined;

  constructor(
    private readonly provider: OAuthProvider,
    private readonly vault: RefreshTokenVault,
    private readonly options: TokenSourceOptions = {},
  ) {}

  async accessToken(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.current && this.current.expiresAt > now) return this.current.accessToken;
    this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    return (await this.renewing).accessToken;
  }

  invalidate(): void {
    this.current = undefined;
  }

  /** A fresh sign-in's tokens: the refresh token is stored first, so a crash right after loses nothing. */
  async signedIn(tokens: TokenSet): Promise<void> {
    if (tokens.refreshToken) await this.vault.set(tokens.refreshToken);
    this.current = tokens;
  }

  private renew(): Promise<TokenSet> {
    const work = async () => {
      // Read inside the lock: another window may have renewed (and rotated) meanwhile.
      const stored = await this.vault.get();
      if (!stored) throw new MailError('auth', `not signed in to ${this.provider.name}: sign in to connect`);
      let renewed: TokenSet;
      try {
        renewed = await refreshTokens(this.provider, stored, this.options.post ?? postForm, this.options.now);
      } catch (error) {
        // A refresh token the provider refuses is dead: forgotten, so nothing keeps trying it.
        if (error instanceof MailError && error.kind === 'auth') await this.vault.clear();
        throw error;
      }
      if (renewed.refreshToken && renewed.refreshToken !== stored) await this.vault.set(renewed.refreshToken);
      this.current = renewed;
      return renewed;
    };
    return this.options.exclusive ? this.options.exclusive(work) : work();
  }
}
