// How a backend signs in with OAuth2 (XOAUTH2 or OAUTHBEARER, RFC 7628) instead of a password: it asks for an
// access token before each connect, and says so when the server refused one, so the next is renewed. Where the
// tokens come from (a sign-in, a refresh token in SecretStorage) is accounts/oauth/'s business.
export interface AccessTokens {
  accessToken(): Promise<string>;
  /** The server refused the token: the next accessToken() renews it. */
  invalidate(): void;
}
