// Thunderbird's autoconfig format (config-v1.1.xml, the IETF mailmaint draft's "autoconfig"): the incoming servers
// of an email provider, with the user name as a template of the address. Parsed with fast-xml-parser, which
// resolves no external entity and fetches nothing; anything unexpected in the file is skipped, never trusted: a
// server in plain text, an unknown type, a port out of range, a host name that is not one.
import { XMLParser } from 'fast-xml-parser';
import type { FoundOAuth, FoundServer, SignIn } from './foundConfig';

export interface ParsedAutoconfig {
  provider?: string;
  servers: FoundServer[];
  /** The <oAuth2> element: the provider's sign-in endpoints (HTTPS only). */
  oauth?: FoundOAuth;
}

const SOCKET_TYPES: Record<string, FoundServer['security'] | undefined> = { SSL: 'tls', STARTTLS: 'starttls' };
const SIGN_INS: Record<string, SignIn | undefined> = {
  'password-cleartext': 'password',
  'password-encrypted': 'password',
  plain: 'password',
  secure: 'password',
  OAuth2: 'oauth2',
};
/** A DNS name: labels of letters, digits and hyphens; no scheme, path, port or space. */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The servers of an autoconfig document for this address, or undefined when it is not one. */
export function parseAutoconfig(xml: string, address: string): ParsedAutoconfig | undefined {
  let document: unknown;
  try {
    document = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      processEntities: false,
      isArray: (name) => ['emailProvider', 'incomingServer', 'authentication', 'displayName', 'oAuth2'].includes(name),
    }).parse(xml);
  } catch {
    return undefined;
  }
  const root = (document as { clientConfig?: { emailProvider?: unknown[] } } | undefined)?.clientConfig;
  const provider = root?.emailProvider?.[0] as
    { displayName?: unknown[]; incomingServer?: Array<Record<string, unknown>> } | undefined;
  if (!provider) return undefined;
  // <oAuth2> sits beside <emailProvider> (Thunderbird's format): the provider's sign-in endpoints.
  const oauth = toOAuth((root as { oAuth2?: Array<Record<string, unknown>> }).oAuth2?.[0]);
  const servers: FoundServer[] = [];
  for (const entry of provider.incomingServer ?? []) {
    const server = toServer(entry, address);
    if (server) servers.push(server);
  }
  const name = provider.displayName?.[0];
  return {
    provider: typeof name === 'string' ? name.trim().slice(0, 100) : undefined,
    servers,
    ...(oauth ? { oauth } : {}),
  };
}

function toOAuth(entry: Record<string, unknown> | undefined): FoundOAuth | undefined {
  if (!entry) return undefined;
  const text = (key: string) => (typeof entry[key] === 'string' ? (entry[key] as string).trim() : '');
  const https = (url: string) => {
    try {
      return new URL(url).protocol === 'https:';
    } catch {
      return false;
    }
  };
  const [authorizeUrl, tokenUrl, issuer] = [text('authURL'), text('tokenURL'), text('issuer').toLowerCase()];
  const scopes = text('scope').split(/\s+/).filter(Boolean);
  if (!https(authorizeUrl) || !https(tokenUrl) || !HOST_NAME.test(issuer) || !scopes.length) return undefined;
  return { issuer, authorizeUrl, tokenUrl, scopes };
}

function toServer(entry: Record<string, unknown>, address: string): FoundServer | undefined {
  const protocol = entry.type === 'imap' ? 'imap' : entry.type === 'pop3' ? 'pop3' : undefined;
  const host = typeof entry.hostname === 'string' ? entry.hostname.trim().toLowerCase() : '';
  const port = Number(entry.port);
  const security = SOCKET_TYPES[String(entry.socketType ?? '')];
  if (!protocol || !HOST_NAME.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  // Plain text is never proposed, whatever the file says.
  if (!security) return undefined;
  const signIn = [
    ...new Set(
      (entry.authentication as unknown[] | undefined)
        ?.map((method) => SIGN_INS[String(method)])
        .filter((method): method is SignIn => method !== undefined) ?? ['password' as const],
    ),
  ];
  if (!signIn.length) return undefined;
  return {
    protocol,
    host,
    port,
    security,
    user: userName(String(entry.username ?? '%EMAILADDRESS%'), address),
    signIn,
  };
}

/** The placeholders of the format (%EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%) filled from the address. */
function userName(template: string, address: string): string {
  const [local, domain] = [address.slice(0, address.lastIndexOf('@')), address.slice(address.lastIndexOf('@') + 1)];
  return template
    .replace(/%EMAILADDRESS%/g, address)
    .replace(/%EMAILLOCALPART%/g, local)
    .replace(/%EMAILDOMAIN%/g, domain)
    .trim()
    .slice(0, 320);
}
