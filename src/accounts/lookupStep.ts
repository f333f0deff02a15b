// The Add Account step after the address: the settings are looked up (discovery/discovery.ts) while the user
// watches, and shown for them to confirm, server names and where they were found in full, before any password is
// asked for or sent. "Enter the settings myself" leads to the manual steps, prefilled with what was found.
import type { QuickPickItem } from 'vscode';
import type { Protocol, Security } from '../mail/types';
import { discover, type DiscoveryNet } from './discovery/discovery';
import type { FoundConfig, FoundServer } from './discovery/foundConfig';
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
}

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
    const oauthOnly = !server.signIn.includes('password');
    return {
      label: `${server.protocol === 'imap' ? 'IMAP' : 'POP3'}: ${server.host}`,
      description: `port ${server.port} · ${SECURITY_NAMES[server.security]} · user ${server.user}${owner ? ` · a server of ${owner}` : ''}`,
      detail: [
        `Found in ${SOURCES[found.source]}: ${found.from}.`,
        oauthOnly ? 'It accepts only its own sign-in page (OAuth2), which Letterbox does not offer yet.' : '',
        found.note ?? '',
      ]
        .filter(Boolean)
        .join(' '),
      server: oauthOnly ? undefined : server,
      unusable: oauthOnly,
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
