// The Add Account step after the address: the settings are looked up (discovery/discovery.ts) while the user
// watches, and shown for them to confirm, server names and where they were found in full, before any password is
// asked for or sent. "Enter the settings myself" leads to the manual steps, prefilled with what was found.
import type { QuickPickItem } from 'vscode';
import type { Protocol, Security } from '../mail/types';
import { discover, type DiscoveryNet } from './discovery/discovery';
import type { FoundConfig, FoundOAuth, FoundServer } from './discovery/foundConfig';
import type { OAuthProvider } from './oauth/oauthProvider';
import { registeredDomain } from './discovery/discovery';

export interface LookupChoice extends QuickPickItem {
  /** A codicon of ours before the label (util/quickPick.ts: labels are shown as text). */
  icon?: string;
  /** A server to use as found; absent: the manual steps. */
  server?: FoundServer;
  /** Shown for the user to know, not to choose (a server Letterbox cannot sign in to yet). */
  unusable?: boolean;
  /** With the manual steps: what they start from (the best server found). */
  prefill?: FoundServer;
  /** Signs in with this provider's page instead of a password. */
  oauth?: OAuthProvider;
}

/** The client id Letterbox signs in with at a provider (the user's settings), if it has one. */
export type OAuthClients = (oauth: FoundOAuth) => { clientId: string; clientSecret?: string } | undefined;

/** The way past the lookup, offered from the start: nobody has to wait for it. */
export const ENTER_MYSELF: LookupChoice = { label: 'Enter the settings myself', icon: 'edit' };

const SOURCES: Record<FoundConfig['source'], string> = {
  provider: "the domain's own settings",
  wellKnown: "the domain's own settings",
  ispdb: "Thunderbird's database of providers",
  known: "Letterbox's list of providers",
  mx: 'the server that receives mail for the domain',
  srv: "the domain's DNS records",
  guess: 'servers that answered at common names (check them)',
};

const SECURITY_NAMES: Record<Exclude<Security, 'none'>, string> = { tls: 'TLS', starttls: 'STARTTLS' };

/** Looks the address up and makes the choices to show: the best server of each protocol, then "myself". */
export async function lookUp(
  address: string,
  net: DiscoveryNet,
  say: (text: string) => void,
  clients: OAuthClients = () => undefined,
): Promise<{ items: LookupChoice[]; placeholder: string; found?: FoundConfig }> {
  const found = await discover(address, { net, onProgress: say });
  const best = found?.servers.find((server) => server.signIn.includes('password'));
  const manual: LookupChoice = {
    ...ENTER_MYSELF,
    detail: best ? 'Server, security, port and user name, starting from what was found.' : undefined,
    prefill: best,
  };
  if (!found) return { items: [manual], placeholder: 'No settings were found for this address: enter them yourself' };
  const firstOf = (protocol: Protocol) => found.servers.find((server) => server.protocol === protocol);
  const servers = [firstOf('imap'), firstOf('pop3')].filter((server): server is FoundServer => Boolean(server));
  const items: LookupChoice[] = servers.map((server) => {
    const owner = registeredDomain(server.host);
    const oauth = server.signIn.includes('oauth2') ? providerFor(found, server, clients) : undefined;
    const password = server.signIn.includes('password');
    // OAuth2 first where both work: no password to keep, and nothing to lose when it changes.
    const usable = Boolean(oauth) || password;
    const clientNeeded = server.signIn.includes('oauth2') && !oauth && !password;
    return {
      label: `${server.protocol === 'imap' ? 'IMAP' : 'POP3'}: ${server.host}`,
      description: `port ${server.port} · ${SECURITY_NAMES[server.security]} · user ${server.user}${owner ? ` · a server of ${owner}` : ''}${oauth ? ` · sign in with ${oauth.name}` : ''}`,
      detail: [
        `Found in ${SOURCES[found.source]}: ${found.from}.`,
        clientNeeded
          ? `It accepts only its own sign-in page (OAuth2), and Letterbox has no app registered with ${found.oauth?.issuer ?? 'it'} yet: set your organisation's client id in ${clientSetting(found.oauth)} (see the README).`
          : '',
        oauth ? '' : (found.note ?? ''),
      ]
        .filter(Boolean)
        .join(' '),
      server: usable ? server : undefined,
      unusable: !usable,
      oauth,
    };
  });
  const usable = items.filter((item) => item.server);
  return {
    items: [...items, manual],
    found,
    placeholder: usable.length
      ? `Settings for ${found.provider ?? address.split('@')[1]}: check the server names, then choose one`
      : `${found.provider ?? 'This provider'} needs its own sign-in, which Letterbox does not offer yet`,
  };
}

/** The provider to sign in to for this server: the found endpoints, our client id, the scopes of its protocol. */
function providerFor(found: FoundConfig, server: FoundServer, clients: OAuthClients): OAuthProvider | undefined {
  const oauth = found.oauth;
  const client = oauth ? clients(oauth) : undefined;
  if (!oauth || !client) return undefined;
  // Only the protocol asked for (Microsoft has one scope for IMAP and one for POP3): no more access than needed.
  const other = server.protocol === 'imap' ? /pop/i : /imap/i;
  return {
    name: found.provider ?? oauth.issuer,
    authorizeUrl: oauth.authorizeUrl,
    tokenUrl: oauth.tokenUrl,
    clientId: client.clientId,
    ...(client.clientSecret ? { clientSecret: client.clientSecret } : {}),
    scopes: oauth.scopes.filter((scope) => !other.test(scope.replace(/^https?:\/\/[^/]+\//, ''))),
    ...(oauth.extraAuthorizeParams ? { extraAuthorizeParams: oauth.extraAuthorizeParams } : {}),
  };
}

function clientSetting(oauth: FoundOAuth | undefined): string {
  if (oauth?.issuer === 'login.microsoftonline.com') return 'letterbox.oauth.microsoftClientId';
  if (oauth?.issuer === 'accounts.google.com') return 'letterbox.oauth.googleClientId';
  return `letterbox.oauth.clients (under "${oauth?.issuer ?? 'its issuer'}")`;
}
