// Finding an address's mail settings, in the order of the IETF mailmaint autoconfig draft and Thunderbird: the
// domain's own autoconfig (autoconfig.<domain>, then <domain>/.well-known/autoconfig), Thunderbird's public
// database (ISPDB), the domain's MX records (a provider Letterbox knows, or the MX domain's own config), DNS SRV
// records (RFC 6186), and last common host names that really answer. The early steps run at once and the best one
// that answered wins; the whole lookup has one deadline. Only HTTPS, and only hosts of the address's domain, of
// its MX domains and the database are asked. VS Code-free: DNS, HTTPS and probing are handed in (nodeNet.ts).
import { parseAutoconfig } from './autoconfigXml';
import { rankServers, splitAddress, type FoundConfig, type FoundServer, type FoundSource } from './foundConfig';
import { providerOfDomain, providerOfMx, type KnownProvider } from './knownProviders';

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface DiscoveryNet {
  /** An HTTPS GET: the body of a 200 answer, else undefined (never throws). */
  fetchText(url: string, signal: AbortSignal): Promise<string | undefined>;
  /** MX hosts, most preferred first; [] when there are none or DNS fails. */
  mx(domain: string): Promise<string[]>;
  /** SRV records of a name; [] when there are none or DNS fails. */
  srv(name: string): Promise<SrvRecord[]>;
  /** Whether a mail server of that protocol greets on that host and port (implicit TLS, certificate checked). */
  probe(server: Pick<FoundServer, 'protocol' | 'host' | 'port' | 'security'>, signal: AbortSignal): Promise<boolean>;
}

export interface DiscoveryOptions {
  net: DiscoveryNet;
  /** The whole lookup's deadline. */
  deadlineMs?: number;
  /** Said while looking ("Asking autoconfig.example.org…"). */
  onProgress?(step: string): void;
  /** Thunderbird's database; a test points it elsewhere. */
  ispdb?: string;
}

export const ISPDB = 'https://autoconfig.thunderbird.net/v1.1/';
const DEADLINE_MS = 12_000;
/** Second-level labels under which registrations sit (example.co.uk): the registered domain is three labels. */
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'ac', 'gov', 'edu', 'or', 'ne', 'go']);

/** Settings for the address, or undefined when nothing was found before the deadline. */
export async function discover(address: string, options: DiscoveryOptions): Promise<FoundConfig | undefined> {
  const parts = splitAddress(address);
  if (!parts) return undefined;
  const { domain } = parts;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.deadlineMs ?? DEADLINE_MS);
  const signal = deadline.signal;
  const say = (step: string) => options.onProgress?.(step);
  const ispdb = options.ispdb ?? ISPDB;
  const fromXml = async (source: FoundSource, url: string): Promise<FoundConfig | undefined> => {
    const xml = await options.net.fetchText(url, signal);
    const parsed = xml === undefined ? undefined : parseAutoconfig(xml, address);
    if (!parsed?.servers.length) return undefined;
    return { source, from: url, provider: parsed.provider, servers: rankServers(parsed.servers), oauth: parsed.oauth };
  };
  try {
    say(`Asking ${domain} and Thunderbird's database…`);
    // Best first; each starts now, and a later one counts only when every earlier one found nothing.
    const steps: Array<Promise<FoundConfig | undefined>> = [
      fromXml(
        'provider',
        `https://autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(address)}`,
      ),
      fromXml('wellKnown', `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml`),
      fromXml('ispdb', `${ispdb}${domain}`),
      known(providerOfDomain(domain), 'known', `Letterbox's table of providers (${domain})`, address),
      fromMx(domain, address, options.net, fromXml, ispdb, say),
      fromSrv(domain, address, options.net, say),
    ];
    for (const step of steps) {
      const found = await untilDeadline(step, signal);
      if (found) return found;
      if (signal.aborted) return undefined;
    }
    say(`Trying common server names of ${domain}…`);
    return await untilDeadline(guess(domain, address, options.net, signal), signal);
  } finally {
    clearTimeout(timer);
  }
}

async function known(
  provider: KnownProvider | undefined,
  source: FoundSource,
  from: string,
  address: string,
): Promise<FoundConfig | undefined> {
  if (!provider) return undefined;
  return {
    source,
    from,
    provider: provider.name,
    servers: rankServers(provider.servers.map((server) => ({ ...server, user: address }))),
    note: provider.note,
    oauth: provider.oauth,
  };
}

/** The domain's mail exchanger: a provider Letterbox knows, else the autoconfig of the MX's own domain. */
async function fromMx(
  domain: string,
  address: string,
  net: DiscoveryNet,
  fromXml: (source: FoundSource, url: string) => Promise<FoundConfig | undefined>,
  ispdb: string,
  say: (step: string) => void,
): Promise<FoundConfig | undefined> {
  const exchangers = await net.mx(domain);
  const first = exchangers[0]?.toLowerCase().replace(/\.$/, '');
  if (!first) return undefined;
  const provider = providerOfMx(first);
  if (provider) return known(provider, 'mx', `the MX record of ${domain} (${first})`, address);
  const mxDomain = registeredDomain(first);
  if (!mxDomain || mxDomain === domain) return undefined;
  say(`Asking ${mxDomain}, which receives mail for ${domain}…`);
  const found =
    (await fromXml('mx', `${ispdb}${mxDomain}`)) ??
    (await fromXml(
      'mx',
      `https://autoconfig.${mxDomain}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(address)}`,
    ));
  return found ? { ...found, from: `${found.from} (the MX record of ${domain} is ${first})` } : undefined;
}

/** RFC 6186: _imaps._tcp, _imap._tcp (STARTTLS), _pop3s._tcp, _pop3._tcp; a target of "." means "not offered". */
async function fromSrv(
  domain: string,
  address: string,
  net: DiscoveryNet,
  say: (step: string) => void,
): Promise<FoundConfig | undefined> {
  say(`Looking up the SRV records of ${domain}…`);
  const kinds: Array<Pick<FoundServer, 'protocol' | 'security'> & { service: string }> = [
    { service: '_imaps._tcp', protocol: 'imap', security: 'tls' },
    { service: '_imap._tcp', protocol: 'imap', security: 'starttls' },
    { service: '_pop3s._tcp', protocol: 'pop3', security: 'tls' },
    { service: '_pop3._tcp', protocol: 'pop3', security: 'starttls' },
  ];
  const answers = await Promise.all(kinds.map((kind) => net.srv(`${kind.service}.${domain}`)));
  const servers: FoundServer[] = [];
  kinds.forEach((kind, index) => {
    const best = [...answers[index]]
      .filter((record) => record.name && record.name !== '.' && record.port > 0)
      .sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
    if (best)
      servers.push({
        protocol: kind.protocol,
        host: best.name.toLowerCase().replace(/\.$/, ''),
        port: best.port,
        security: kind.security,
        user: address,
        signIn: ['password'],
      });
  });
  if (!servers.length) return undefined;
  return { source: 'srv', from: `the SRV records of ${domain}`, servers: rankServers(servers) };
}

/** Common names, implicit TLS only (RFC 8314), each tried for a real greeting with its certificate checked. */
async function guess(
  domain: string,
  address: string,
  net: DiscoveryNet,
  signal: AbortSignal,
): Promise<FoundConfig | undefined> {
  const candidates: Array<Pick<FoundServer, 'protocol' | 'host' | 'port' | 'security'>> = [
    { protocol: 'imap', host: `imap.${domain}`, port: 993, security: 'tls' },
    { protocol: 'imap', host: `mail.${domain}`, port: 993, security: 'tls' },
    { protocol: 'pop3', host: `pop.${domain}`, port: 995, security: 'tls' },
    { protocol: 'pop3', host: `mail.${domain}`, port: 995, security: 'tls' },
  ];
  const answered = await Promise.all(candidates.map((candidate) => net.probe(candidate, signal).catch(() => false)));
  const servers = candidates
    .filter((_, index) => answered[index])
    .map((candidate) => ({ ...candidate, user: address, signIn: ['password' as const] }));
  if (!servers.length) return undefined;
  return {
    source: 'guess',
    from: `common server names of ${domain} that answered (${servers.map((server) => server.host).join(', ')})`,
    servers: rankServers(servers),
  };
}

/** The registered domain of a host name, without a public suffix list: two labels, three under co.uk and kin. */
export function registeredDomain(host: string): string | undefined {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.').filter(Boolean);
  if (labels.length < 2) return undefined;
  const count = labels.length >= 3 && SECOND_LEVEL.has(labels.at(-2)!) && labels.at(-1)!.length === 2 ? 3 : 2;
  return labels.slice(-count).join('.');
}

/** The step's answer, or undefined once the deadline passed. */
function untilDeadline<T>(step: Promise<T | undefined>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const stop = () => resolve(undefined);
    signal.addEventListener('abort', stop, { once: true });
    step.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      () => {
        signal.removeEventListener('abort', stop);
        resolve(undefined);
      },
    );
  });
}
