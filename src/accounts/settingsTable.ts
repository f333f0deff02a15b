// Every letterbox.* setting in one place: its key, its default, whose value counts, and how a hand-edited value is
// checked (a typo falls back to the default, never to a crash or a surprise). VS Code-free, so a unit test holds it
// against package.json's contributes.configuration. Read them through settings.ts (settings typed by key, with
// typed change events: the idea of GitLens's configuration.ts, without its global singleton).

/**
 * - user: only the user's own (global) value is read or written: a repository's .vscode/settings.json must never
 *   add or redirect an account, or allow a tracker (these are application-scoped in package.json);
 * - any: VS Code's usual merge of user, workspace and folder values.
 */
export type SettingScope = 'user' | 'any';

export type NewMailNotifications = 'inbox' | 'chosen' | 'all' | 'off';

export interface SettingValues {
  /** Raw: accountConfig.ts parseAccounts checks each entry and reports what it skips. */
  accounts: unknown;
  markAsReadAfterSeconds: number;
  'pop3.checkIntervalMinutes': number;
  'remoteContent.allowedSenders': string[];
  newMailNotifications: NewMailNotifications;
  /** With newMailNotifications 'chosen': folders (paths or names) whose new mail is announced, besides the Inbox. */
  notifyFolders: string[];
  'cache.messageSizeMB': number;
  'imap.pollSeconds': number;
  'threads.defaultView': ThreadsView;
  'threads.joinBySubject': boolean;
  unifiedInbox: boolean;
  /** OAuth2 client ids registered for Letterbox (an organisation's own app registration); user settings only. */
  'oauth.microsoftClientId': string;
  'oauth.googleClientId': string;
  /** Google's desktop clients come with a "secret" that is not one (it ships inside every copy of an app). */
  'oauth.googleClientSecret': string;
  /** Client ids at other providers whose autoconfig names OAuth2 endpoints, by the sign-in page's host name. */
  'oauth.clients': Record<string, OAuthClientSetting>;
}

export interface OAuthClientSetting {
  clientId: string;
  clientSecret?: string;
}

export type ThreadsView = 'messages' | 'threads';

export type SettingKey = keyof SettingValues;

interface SettingSpec<T> {
  default: T;
  scope: SettingScope;
  /** The value as Letterbox uses it, or undefined for the default. */
  check(value: unknown): T | undefined;
}

const number =
  (min: number, max = Infinity) =>
  (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim() : undefined);

export const SETTINGS: { readonly [K in SettingKey]: SettingSpec<SettingValues[K]> } = {
  accounts: { default: [], scope: 'user', check: (value) => value },
  markAsReadAfterSeconds: { default: 0, scope: 'any', check: number(0) },
  'pop3.checkIntervalMinutes': { default: 10, scope: 'any', check: number(0) },
  'remoteContent.allowedSenders': {
    default: [],
    scope: 'user',
    check: (value) =>
      Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : undefined,
  },
  newMailNotifications: {
    default: 'inbox',
    scope: 'any',
    check: (value) =>
      value === 'inbox' || value === 'chosen' || value === 'all' || value === 'off' ? value : undefined,
  },
  notifyFolders: {
    default: [],
    scope: 'any',
    check: (value) =>
      Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : undefined,
  },
  'cache.messageSizeMB': { default: 200, scope: 'any', check: number(0) },
  'imap.pollSeconds': { default: 120, scope: 'any', check: number(15, 120) },
  'threads.defaultView': {
    default: 'messages',
    scope: 'any',
    check: (value) => (value === 'messages' || value === 'threads' ? value : undefined),
  },
  'threads.joinBySubject': {
    default: false,
    scope: 'any',
    check: (value) => (typeof value === 'boolean' ? value : undefined),
  },
  unifiedInbox: {
    default: false,
    scope: 'any',
    check: (value) => (typeof value === 'boolean' ? value : undefined),
  },
  // User only: a repository must not choose which app the user consents to.
  'oauth.microsoftClientId': { default: '', scope: 'user', check: text },
  'oauth.googleClientId': { default: '', scope: 'user', check: text },
  'oauth.googleClientSecret': { default: '', scope: 'user', check: text },
  'oauth.clients': { default: {}, scope: 'user', check: oauthClientTable },
};

/** Entries without a usable client id are left out (a typo must not become an empty client id). */
function oauthClientTable(value: unknown): Record<string, OAuthClientSetting> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const table: Record<string, OAuthClientSetting> = {};
  for (const [host, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object') continue;
    const { clientId, clientSecret } = entry as Record<string, unknown>;
    if (typeof clientId !== 'string' || !clientId.trim()) continue;
    table[host.trim().toLowerCase()] = {
      clientId: clientId.trim(),
      ...(typeof clientSecret === 'string' && clientSecret.trim() ? { clientSecret: clientSecret.trim() } : {}),
    };
  }
  return table;
}

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** What Letterbox uses for `key`, from the values VS Code has (inspect()). */
export function settingValue<K extends SettingKey>(
  key: K,
  values: { globalValue?: unknown; effectiveValue?: unknown },
): SettingValues[K] {
  const spec = SETTINGS[key] as SettingSpec<SettingValues[K]>;
  const raw = spec.scope === 'user' ? values.globalValue : values.effectiveValue;
  return raw === undefined ? spec.default : (spec.check(raw) ?? spec.default);
}
