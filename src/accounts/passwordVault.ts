// Passwords in VS Code's SecretStorage, each bound to the server it was entered for. The account list is a setting,
// and a setting can be changed by hand or by something else; a password entered for imap.example.org must never be
// sent to another host, port or user just because an entry with the same id now points there. VS Code-free: the
// secret storage is passed in, so this is tested directly.
import type { Logger } from '../mail/logger';
import type { ServerSettings } from '../mail/types';
import { bindingOf, sameBinding, type PasswordBinding } from './accountConfig';

/** The part of vscode.SecretStorage this needs. */
export interface SecretStore {
  get(key: string): Thenable<string | undefined>;
  store(key: string, value: string): Thenable<void>;
  delete(key: string): Thenable<void>;
}

export type PasswordLookup =
  | { state: 'ok'; password: string }
  | { state: 'missing' }
  /** A password is stored, but for another server: it is not handed out. */
  | { state: 'otherServer'; boundTo: PasswordBinding };

interface StoredSecret extends PasswordBinding {
  version: 1;
  password: string;
}

export interface AccountIdentity extends ServerSettings {
  id: string;
}

export class PasswordVault {
  constructor(
    private readonly secrets: SecretStore,
    private readonly log: Logger,
  ) {}

  async lookup(account: AccountIdentity): Promise<PasswordLookup> {
    const raw = await this.secrets.get(secretKey(account.id));
    if (raw === undefined) return { state: 'missing' };
    const stored = parseSecret(raw);
    if (!stored) {
      // Stored before passwords were bound (a plain string). The account read now comes from the user's own
      // settings only, so binding it to that server keeps the user's password working without a prompt.
      await this.store(account, raw);
      this.log.info(`bound the stored password of ${account.id} to ${account.user} at ${account.host}:${account.port}`);
      return { state: 'ok', password: raw };
    }
    if (!sameBinding(stored, bindingOf(account))) {
      return { state: 'otherServer', boundTo: { host: stored.host, port: stored.port, user: stored.user } };
    }
    return { state: 'ok', password: stored.password };
  }

  async store(account: AccountIdentity, password: string): Promise<void> {
    const secret: StoredSecret = { version: 1, ...bindingOf(account), password };
    await this.secrets.store(secretKey(account.id), JSON.stringify(secret));
  }

  async delete(accountId: string): Promise<void> {
    await this.secrets.delete(secretKey(accountId));
  }
}

function secretKey(accountId: string): string {
  return `letterbox.password.${accountId}`;
}

function parseSecret(raw: string): StoredSecret | undefined {
  if (!raw.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<StoredSecret>;
    if (
      value.version === 1 &&
      typeof value.password === 'string' &&
      typeof value.host === 'string' &&
      typeof value.port === 'number' &&
      typeof value.user === 'string'
    ) {
      return value as StoredSecret;
    }
  } catch {
    // A legacy password that happens to start with "{" is not JSON: treat it as a plain password.
  }
  return undefined;
}
