// How a backend signs in with OAuth2 (XOAUTH2 or OAUTHBEARER, RFC 7628) instead of a password: it asks for an
// access token before each connect, and says so when the server refused one, so the next is renewed. Where the
// tokens come from (a sign-in, a refresh token in SecretStorage) is accounts/oauth/'s business.
import { MailError } from './mailError';
export interface AccessTokens {
  accessToken(): Promise<string>;
  /** The server refused the token: the next accessToken() renews it. */
  invalidate(): void;
}

/**
 * Signs in with a token, and once more with a renewed one if the server refused the first (revoked early, or a
 * clock that is off); a second refusal is the user's to resolve (sign in again).
 */
export async function withTokenRetry<T>(
  tokens: AccessTokens,
  attempt: (accessToken: string) => Promise<T>,
  refused: (error: unknown) => boolean,
): Promise<T> {
  try {
    try {
      return await attempt(await tokens.accessToken());
    } catch (error) {
      if (!refused(error)) throw error;
      tokens.invalidate();
      return await attempt(await tokens.accessToken());
    }
  } catch (error) {
    // Whatever refused (the server, or the provider when renewing), the way forward is the sign-in page.
    throw error instanceof MailError && error.kind === 'auth' && !error.signIn
      ? new MailError('auth', error.message, { cause: error, signIn: true })
      : error;
  }
}
