// Facts about the big providers, for domains whose mail they host (found by the domain's MX records, or the
// address's own domain): where their servers are and how they want users to sign in. A small table, kept by hand
// from the providers' own help pages; the lookup uses it only after the domain's own autoconfig and Thunderbird's
// database said nothing.
import type { FoundOAuth, FoundServer } from './foundConfig';

export interface KnownProvider {
  name: string;
  /** Address domains this provider hosts for everyone ("gmail.com"). */
  domains: string[];
  /** MX host names that say a domain's mail is here, as suffixes ("mail.protection.outlook.com"). */
  mx: string[];
  servers: Array<Omit<FoundServer, 'user'>>;
  note?: string;
  oauth?: FoundOAuth;
}

/** Microsoft identity platform, any tenant (work, school or personal accounts). */
export const MICROSOFT_OAUTH: FoundOAuth = {
  issuer: 'login.microsoftonline.com',
  authorizeUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
  tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
  scopes: [
    'https://outlook.office.com/IMAP.AccessAsUser.All',
    'https://outlook.office.com/POP.AccessAsUser.All',
    'offline_access',
  ],
  extraAuthorizeParams: { prompt: 'select_account' },
};

export const GOOGLE_OAUTH: FoundOAuth = {
  issuer: 'accounts.google.com',
  authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  scopes: ['https://mail.google.com/'],
  // A refresh token only comes with offline access, and only at the first consent unless asked again.
  extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
};

export const KNOWN_PROVIDERS: KnownProvider[] = [
  {
    name: 'Microsoft 365 / Outlook.com',
    domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com'],
    mx: ['mail.protection.outlook.com', 'olc.protection.outlook.com'],
    servers: [
      { protocol: 'imap', host: 'outlook.office365.com', port: 993, security: 'tls', signIn: ['oauth2'] },
      { protocol: 'pop3', host: 'outlook.office365.com', port: 995, security: 'tls', signIn: ['oauth2'] },
    ],
    note: 'Microsoft accepts only its own sign-in (OAuth2) for IMAP and POP3 since 2024, not a password.',
    oauth: MICROSOFT_OAUTH,
  },
  {
    name: 'Google',
    domains: ['gmail.com', 'googlemail.com'],
    mx: ['google.com', 'googlemail.com'],
    servers: [
      { protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls', signIn: ['password', 'oauth2'] },
      { protocol: 'pop3', host: 'pop.gmail.com', port: 995, security: 'tls', signIn: ['password', 'oauth2'] },
    ],
    note: 'Google wants an app password (Google Account → Security → 2-Step Verification → App passwords), not your usual password.',
    oauth: GOOGLE_OAUTH,
  },
  {
    name: 'Fastmail',
    domains: ['fastmail.com', 'fastmail.fm'],
    mx: ['messagingengine.com'],
    servers: [
      { protocol: 'imap', host: 'imap.fastmail.com', port: 993, security: 'tls', signIn: ['password'] },
      { protocol: 'pop3', host: 'pop.fastmail.com', port: 995, security: 'tls', signIn: ['password'] },
    ],
    note: 'Fastmail wants an app password (Settings → Privacy & Security → App passwords).',
  },
  {
    name: 'iCloud Mail',
    domains: ['icloud.com', 'me.com', 'mac.com'],
    mx: ['mail.icloud.com'],
    servers: [{ protocol: 'imap', host: 'imap.mail.me.com', port: 993, security: 'tls', signIn: ['password'] }],
    note: 'iCloud wants an app-specific password (appleid.apple.com → Sign-In and Security); it has no POP3.',
  },
  {
    name: 'Yahoo Mail',
    domains: ['yahoo.com', 'ymail.com', 'rocketmail.com'],
    mx: ['yahoodns.net'],
    servers: [
      { protocol: 'imap', host: 'imap.mail.yahoo.com', port: 993, security: 'tls', signIn: ['password'] },
      { protocol: 'pop3', host: 'pop.mail.yahoo.com', port: 995, security: 'tls', signIn: ['password'] },
    ],
    note: 'Yahoo wants an app password (Account Info → Account Security → Generate app password).',
  },
  {
    name: 'Zoho Mail',
    domains: ['zoho.com', 'zohomail.com'],
    mx: ['zoho.com', 'zohomail.com'],
    servers: [
      { protocol: 'imap', host: 'imap.zoho.com', port: 993, security: 'tls', signIn: ['password'] },
      { protocol: 'pop3', host: 'pop.zoho.com', port: 995, security: 'tls', signIn: ['password'] },
    ],
  },
  {
    name: 'Zoho Mail (EU)',
    domains: ['zoho.eu'],
    mx: ['zoho.eu'],
    servers: [
      { protocol: 'imap', host: 'imap.zoho.eu', port: 993, security: 'tls', signIn: ['password'] },
      { protocol: 'pop3', host: 'pop.zoho.eu', port: 995, security: 'tls', signIn: ['password'] },
    ],
  },
];

/** Whether `host` is `suffix` or a name under it (a label boundary, not a string ending: "evilgoogle.com" is not). */
export function isUnder(host: string, suffix: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === suffix || name.endsWith(`.${suffix}`);
}

export function providerOfDomain(domain: string): KnownProvider | undefined {
  return KNOWN_PROVIDERS.find((provider) => provider.domains.includes(domain));
}

export function providerOfMx(mxHost: string): KnownProvider | undefined {
  return KNOWN_PROVIDERS.find((provider) => provider.mx.some((suffix) => isUnder(mxHost, suffix)));
}
