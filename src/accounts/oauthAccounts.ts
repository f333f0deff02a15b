// The OAuth2 accounts' tokens: one token source per account (oauth/tokenSource.ts), its refresh token in VS Code's
// SecretStorage bound to the account's server and user like a password (an account edited to another server signs
// in again), renewals serialised across windows by the account's store lock, and the sign-in that opens the
// provider's page in the user's browser (vscode.env.openExternal). Tokens never go to settings, logs or webviews.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AccessTokens } from '../mail/accessTokens';
import type { Logger } from '../mail/logger';
import { StoreLock } from '../store/storeLock';
import { bindingOf, sameBinding, type AccountConfig, type PasswordBinding } from './accountConfig';
import { accountStorePath } from './backendFactory';
import { signIn } from './oauth/signIn';
import { OAuthTokenSource, type RefreshTokenVault } from './oauth/tokenSource';
import type { SecretStore } from './passwordVault';

/** How long a renewal waits for another window's. */
const LOCK_WAIT_MS = 30_000;

interface StoredToken {
  binding: PasswordBinding;
  refreshToken: string;
}

export class OAuthAccounts {
  private readonly sources = new Map<string, { key: string; source: OAuthTokenSource }>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly storageRoot: string,
    private readonly log: Logger,
  ) {}

  /** The account's tokens, for its backends; undefined for a password account. */
  tokensFor(account: AccountConfig): AccessTokens | undefined {
    return this.sourceOf(account);
  }

  /** Opens the provider's sign-in page in the browser and keeps what it gives; rejects when it did not work. */
  async signIn(account: AccountConfig): Promise<void> {
    const source = this.sourceOf(account);
    if (!source || !account.oauth) throw new Error(`${account.label} signs in with a password, not OAuth2`);
    this.log.info(`signing in to ${account.oauth.name} for ${account.label} in the browser`);
    const tokens = await signIn(account.oauth, {
      openBrowser: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))),
      loginHint: account.user,
    });
    await source.signedIn(tokens);
    this.log.info(`signed in to ${account.oauth.name} for ${account.label}`);
  }

  /** Forgets an account's sign-in (Remove Account). */
  async forget(accountId: string): Promise<void> {
    this.sources.delete(accountId);
    await this.secrets.delete(secretKey(accountId));
  }

  private sourceOf(account: AccountConfig): OAuthTokenSource | undefined {
    if (!account.oauth) return undefined;
    // A source belongs to one provider and one server binding: an edited account gets a new one.
    const key = JSON.stringify([account.oauth, bindingOf(account)]);
    const known = this.sources.get(account.id);
    if (known?.key === key) return known.source;
    // A lock of its own (not the POP3 store's, which a long download holds): renewals are short.
    const lockRoot = join(accountStorePath(this.storageRoot, account.id), 'oauth');
    const lock = new StoreLock(lockRoot);
    const source = new OAuthTokenSource(account.oauth, this.vault(account), {
      exclusive: async (work) => {
        await mkdir(lockRoot, { recursive: true });
        return lock.run(LOCK_WAIT_MS, () => work());
      },
    });
    this.sources.set(account.id, { key, source });
    return source;
  }

  private vault(account: AccountConfig): RefreshTokenVault {
    const key = secretKey(account.id);
    const binding = bindingOf(account);
    return {
      get: async () => {
        const raw = await this.secrets.get(key);
        if (!raw) return undefined;
        try {
          const stored = JSON.parse(raw) as StoredToken;
          // Given for another server or user: not handed to this one.
          return sameBinding(stored.binding, binding) ? stored.refreshToken : undefined;
        } catch {
          return undefined;
        }
      },
      set: async (refreshToken) => {
        await this.secrets.store(key, JSON.stringify({ binding, refreshToken } satisfies StoredToken));
      },
      clear: async () => {
        await this.secrets.delete(key);
      },
    };
  }
}

function secretKey(accountId: string): string {
  return `letterbox.oauth/${accountId}`;
}
