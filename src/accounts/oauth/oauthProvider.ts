// An OAuth2 provider as Letterbox signs in to it: the authorization code flow with PKCE (RFC 7636) and a loopback
// redirect (RFC 8252 section 7.3), for desktop apps that keep no secret. Microsoft's and Google's entries, and any
// provider whose autoconfig names its endpoints, are values of this type. VS Code-free.

export interface OAuthProvider {
  /** Shown to the user ("Microsoft", "Example Mail"). */
  name: string;
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Only for providers that insist on one for desktop apps (Google); it is not a secret there. */
  clientSecret?: string;
  scopes: string[];
  /** Extra query parameters of the authorization request (prompt=select_account, access_type=offline). */
  extraAuthorizeParams?: Record<string, string>;
}

/** What the token endpoint gave. The refresh token is kept in SecretStorage, the access token only in memory. */
export interface TokenSet {
  accessToken: string;
  /** When the access token stops working (ms since 1970), a minute early to be safe. */
  expiresAt: number;
  refreshToken?: string;
}

/** Endpoints must be HTTPS; plain HTTP only on loopback (a test's own server, RFC 8252's loopback redirect). */
export function checkEndpoint(url: string): URL {
  const parsed = new URL(url);
  const loopback = parsed.hostname === '127.0.0.1' || parsed.hostname === '[::1]' || parsed.hostname === 'localhost';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback))
    throw new Error(`an OAuth2 endpoint must use HTTPS: ${parsed.origin}`);
  return parsed;
}
