// What looking up an address's mail settings can find (discovery.ts): the servers, how each wants the user to sign
// in, and where the answer came from, so the user sees it (host names in full, the source) before a password is
// sent anywhere. Plain-text servers are never proposed (RFC 8314: implicit TLS first, then STARTTLS).
import type { Protocol, Security } from '../../mail/types';

/** password: the account's password (or an app password); oauth2: the provider's sign-in page (XOAUTH2). */
export type SignIn = 'password' | 'oauth2';

export interface FoundServer {
  protocol: Protocol;
  host: string;
  port: number;
  security: Exclude<Security, 'none'>;
  /** The user name the server expects, made from the address. */
  user: string;
  signIn: SignIn[];
}

/**
 * provider: the domain's own autoconfig (autoconfig.<domain>); wellKnown: <domain>/.well-known/autoconfig;
 * ispdb: Thunderbird's public database; known: a provider in Letterbox's own table (gmail.com); mx: the domain's
 * mail exchanger is a provider Letterbox knows, or has an
 * autoconfig of its own; srv: DNS SRV records (RFC 6186); guess: common host names that answered.
 */
export type FoundSource = 'provider' | 'wellKnown' | 'ispdb' | 'known' | 'mx' | 'srv' | 'guess';

/** A provider's OAuth2 endpoints, as its autoconfig or Letterbox's table gives them (no client id: that is ours). */
export interface FoundOAuth {
  /** The sign-in service's host ("login.microsoftonline.com"), which says whose client id to use. */
  issuer: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  /** Extra query parameters of the authorization request. */
  extraAuthorizeParams?: Record<string, string>;
}

export interface FoundConfig {
  source: FoundSource;
  /** Where exactly: the URL fetched, the MX host, the SRV record, the host names tried. */
  from: string;
  /** The provider's name, where known ("Fastmail", "Microsoft 365"). */
  provider?: string;
  /** Best first: IMAP before POP3, implicit TLS before STARTTLS. */
  servers: FoundServer[];
  /** Said beside the settings ("Gmail needs an app password: …"). */
  note?: string;
  /** Where its servers take OAuth2: the provider's endpoints. */
  oauth?: FoundOAuth;
}

const SECURITY_RANK: Record<FoundServer['security'], number> = { tls: 0, starttls: 1 };
const PROTOCOL_RANK: Record<Protocol, number> = { imap: 0, pop3: 1 };

/** Best first, as FoundConfig.servers promises; duplicates (same protocol, host, port) once. */
export function rankServers(servers: FoundServer[]): FoundServer[] {
  const seen = new Set<string>();
  return [...servers]
    .sort(
      (a, b) =>
        PROTOCOL_RANK[a.protocol] - PROTOCOL_RANK[b.protocol] || SECURITY_RANK[a.security] - SECURITY_RANK[b.security],
    )
    .filter((server) => {
      const key = `${server.protocol}|${server.host.toLowerCase()}|${server.port}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The address split, lower-cased domain; undefined for something that is not an address. */
export function splitAddress(address: string): { local: string; domain: string } | undefined {
  const match = /^([^@\s]+)@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(address.trim());
  return match ? { local: match[1], domain: match[2].toLowerCase() } : undefined;
}
