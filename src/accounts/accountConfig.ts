// accounts/: settings, secrets and the add-account flow. This file is the VS Code-free part: what an account is,
// and how a hand-edited `letterbox.accounts` entry is checked, so that a typo gives a clear error, not a crash.
import type { Protocol, Security, ServerSettings } from '../mail/types';
import { DEFAULT_POP3_POLICY, type Pop3Policy } from '../sync/pop3Policy';
import { checkEndpoint, type OAuthProvider } from './oauth/oauthProvider';

export interface AccountConfig extends ServerSettings {
  id: string;
  label: string;
  email: string;
  protocol: Protocol;
  /** POP3 only: what happens to the server copy. */
  pop3?: Pop3Policy;
  /** Signs in with the provider's OAuth2 sign-in page instead of a password (XOAUTH2, OAUTHBEARER). */
  oauth?: OAuthProvider;
}

export interface ConfigProblem {
  index: number;
  message: string;
}

const SECURITIES: Security[] = ['tls', 'starttls', 'none'];

/** Checks every entry; good ones are returned, bad ones are reported with what to fix, none is dropped silently. */
export function parseAccounts(raw: unknown): { accounts: AccountConfig[]; problems: ConfigProblem[] } {
  const accounts: AccountConfig[] = [];
  const problems: ConfigProblem[] = [];
  if (raw === undefined || raw === null) return { accounts, problems };
  if (!Array.isArray(raw))
    return { accounts, problems: [{ index: -1, message: 'letterbox.accounts must be a list of accounts' }] };
  const ids = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const result = parseAccount(entry);
    if (typeof result === 'string') {
      problems.push({ index, message: `account ${index + 1} in letterbox.accounts: ${result}` });
    } else if (ids.has(result.id)) {
      problems.push({
        index,
        message: `account ${index + 1} in letterbox.accounts: the id "${result.id}" is used twice`,
      });
    } else {
      ids.add(result.id);
      accounts.push(result);
    }
  });
  return { accounts, problems };
}

function parseAccount(entry: unknown): AccountConfig | string {
  if (typeof entry !== 'object' || entry === null) return 'it is not an object';
  const value = entry as Record<string, unknown>;
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string).trim() : '');
  const protocol = text('protocol').toLowerCase();
  if (protocol !== 'imap' && protocol !== 'pop3')
    return `"protocol" must be "imap" or "pop3", not "${String(value.protocol ?? '')}"`;
  const host = text('host');
  if (!host) return '"host" is missing';
  const security = (text('security') || 'tls').toLowerCase() as Security;
  if (!SECURITIES.includes(security)) return `"security" must be one of ${SECURITIES.join(', ')}`;
  const port = value.port === undefined ? defaultPort(protocol, security) : Number(value.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return `"port" must be a number from 1 to 65535, not "${String(value.port)}"`;
  const email = text('email');
  const user = text('user') || email;
  if (!user) return '"user" is missing';
  const id = text('id') || defaultAccountId(protocol, user, host);
  const badId = idProblem(id);
  if (badId) return badId;
  const account: AccountConfig = {
    id,
    label: text('label') || email || `${user}@${host}`,
    email,
    protocol,
    host,
    port,
    security,
    user,
    pinnedCertificateSha256: text('pinnedCertificateSha256') || undefined,
  };
  if (value.oauth !== undefined) {
    const oauth = parseOAuth(value.oauth);
    if (typeof oauth === 'string') return oauth;
    account.oauth = oauth;
  }
  if (protocol === 'pop3') {
    const policy = (value.pop3 ?? {}) as Record<string, unknown>;
    const days =
      policy.deleteAfterDays === undefined || policy.deleteAfterDays === null
        ? undefined
        : Number(policy.deleteAfterDays);
    if (days !== undefined && (!Number.isInteger(days) || days < 0))
      return '"pop3.deleteAfterDays" must be a whole number of days';
    account.pop3 = {
      leaveOnServer:
        typeof policy.leaveOnServer === 'boolean' ? policy.leaveOnServer : DEFAULT_POP3_POLICY.leaveOnServer,
      deleteAfterDays: days,
      deleteWhenDeletedLocally: policy.deleteWhenDeletedLocally === true,
    };
  }
  return account;
}

/** An account's "oauth" block: the provider's endpoints (HTTPS), its client id and the scopes to ask for. */
function parseOAuth(raw: unknown): OAuthProvider | string {
  if (typeof raw !== 'object' || raw === null) return '"oauth" must be an object';
  const value = raw as Record<string, unknown>;
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string).trim() : '');
  for (const key of ['authorizeUrl', 'tokenUrl', 'clientId']) if (!text(key)) return `"oauth.${key}" is missing`;
  for (const key of ['authorizeUrl', 'tokenUrl']) {
    try {
      checkEndpoint(text(key));
    } catch (error) {
      return `"oauth.${key}": ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const scopes = Array.isArray(value.scopes)
    ? value.scopes.filter((scope): scope is string => typeof scope === 'string')
    : [];
  if (!scopes.length) return '"oauth.scopes" must list the scopes to ask for';
  return {
    name: text('name') || new URL(text('authorizeUrl')).hostname,
    authorizeUrl: text('authorizeUrl'),
    tokenUrl: text('tokenUrl'),
    clientId: text('clientId'),
    ...(text('clientSecret') ? { clientSecret: text('clientSecret') } : {}),
    scopes,
  };
}

/** "imap:me@example.org@imap.example.org"; separators in a user name ("DOMAIN\\user") become "_". */
export function defaultAccountId(protocol: Protocol, user: string, host: string): string {
  return `${protocol}:${user}@${host}`.replace(/[/\\\u0000]/g, '_');
}

/**
 * The id names the account's folder of downloaded mail and its stored password, so it must be one harmless path
 * segment: "..", "." or a separator would point Remove Account's "delete downloaded mail" at every account's store.
 */
export function idProblem(id: string): string | undefined {
  if (!id || id === '.' || id === '..') return `"id" must not be empty, "." or ".."`;
  if (/[/\\\u0000]/.test(id)) return `"id" must not contain "/", "\\" or NUL, not "${id}"`;
  return undefined;
}

/**
 * Who a stored password was given for. A password is handed only to the server it was entered for: if the host, port
 * or user of an account changes (by hand, or by a setting from somewhere else), Letterbox asks for it again.
 */
export interface PasswordBinding {
  host: string;
  port: number;
  user: string;
}

export function bindingOf(account: ServerSettings): PasswordBinding {
  return { host: account.host.toLowerCase(), port: account.port, user: account.user };
}

export function sameBinding(a: PasswordBinding, b: PasswordBinding): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port && a.user === b.user;
}

export function defaultPort(protocol: Protocol, security: Security): number {
  if (protocol === 'imap') return security === 'tls' ? 993 : 143;
  return security === 'tls' ? 995 : 110;
}

/** What is written back to settings.json: no secrets, defaults left out where they add nothing. */
export function toSettingsEntry(account: AccountConfig): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: account.id,
    label: account.label,
    email: account.email,
    protocol: account.protocol,
    host: account.host,
    port: account.port,
    security: account.security,
    user: account.user,
  };
  if (account.pinnedCertificateSha256) entry.pinnedCertificateSha256 = account.pinnedCertificateSha256;
  if (account.oauth) entry.oauth = { ...account.oauth };
  if (account.protocol === 'pop3' && account.pop3) {
    entry.pop3 = {
      leaveOnServer: account.pop3.leaveOnServer,
      deleteWhenDeletedLocally: account.pop3.deleteWhenDeletedLocally,
      ...(account.pop3.deleteAfterDays !== undefined ? { deleteAfterDays: account.pop3.deleteAfterDays } : {}),
    };
  }
  return entry;
}
