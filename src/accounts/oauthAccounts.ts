// The OAuth2 accounts' tokens: one token source per account (oauth/tokenSource.ts), its refresh token in VS Code's
// SecretStorage bound to the account's server and user like a password (an account edited to another server signs
// in again), renewals serialised across windows by the account's store lock, and the sign-in that opens the
// provider's page in the user's browser (handed in: vscode.env.openExternal). Tokens never go to settings, logs or
// webviews. VS Code-free.
// Microsoft accounts go through VS Code's own `microsoft` provider where the host has one (oauth/vscodeSessions.ts),
// and through our flow where it does not or turns out to be missing.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccessTokens } from '../mail/accessTokens';
import type { Logger } from '../mail/logger';
import { StoreLock } from '../store/storeLock';
import { bindingOf, sameBinding, type AccountConfig, type PasswordBinding } from './accountConfig';
import { accountStorePath } from './backendFactory';
import { signIn } from './oauth/signIn';
import { OAuthTokenSource, type RefreshTokenVault } from './oauth/tokenSource';
import { isMicrosoft, providerMissing, VsCodeSessionTokens, type SessionApi } from './oauth/vscodeSessions';
import type { SecretStore } from './passwordVault';

/** How long a renewal waits for another window's. */
const LOCK_WAIT_MS = 30_000;

interface StoredToken {
  binding: PasswordBinding;
  refreshToken: string;
}

type TokenSource = OAuthTokenSource | VsCodeSessionTokens;

export class OAuthAccounts {
  private readonly sources = new Map<string, { key: string; source: TokenSource }>();
  /** Set when VS Code's `microsoft` provider turned out to be missing: our own flow from then on. */
  private builtInMissing = false;

  constructor(
    private readonly secrets: SecretStore,
    private readonly storageRoot: string,
    private readonly log: Logger,
    private readonly options: {
      /** Opens the provider's sign-in page in the user's browser (vscode.env.openExternal). */
      openBrowser(url: string): Promise<boolean>;
      /** VS Code's authentication API where its `microsoft` provider is expected (vscodeMicrosoft.ts). */
      builtIn?: SessionApi;
    },
  ) {}

  /** The account's tokens, for its backends; undefined for a password account. */
  tokensFor(account: AccountConfig): AccessTokens | undefined {
    if (!account.oauth) return undefined;
    // Looked up at each connect: after a sign-in elsewhere, or VS Code's provider found missing, the new source.
    return {
      accessToken: async () => {
        const source = this.sourceOf(account)!;
        try {
          return await source.accessToken();
        } catch (error) {
          if (!(source instanceof VsCodeSessionTokens) || !providerMissing(error)) throw error;
          this.noBuiltIn();
          return this.sourceOf(account)!.accessToken();
        }
      },
      invalidate: () => this.sourceOf(account)?.invalidate(),
    };
  }

  /**
   * Opens the provider's sign-in page in the browser and keeps what it gives; rejects when it did not work.
   * Resolves to the user signed in as, where the provider says (VS Code's Microsoft sessions).
   */
  async signIn(account: AccountConfig): Promise<string | undefined> {
    const source = this.sourceOf(account);
    if (!source || !account.oauth) throw new Error(`${account.label} signs in with a password, not OAuth2`);
    if (source instanceof VsCodeSessionTokens) {
      this.log.info(`signing in to ${account.oauth.name} for ${account.label} with VS Code's Microsoft sign-in`);
      try {
        const user = await source.signIn();
        this.log.info(`signed in to ${account.oauth.name} for ${account.label}`);
        return user;
      } catch (error) {
        if (!providerMissing(error)) throw error;
        this.noBuiltIn();
        return this.signIn(account);
      }
    }
    this.log.info(`signing in to ${account.oauth.name} for ${account.label} in the browser`);
    const tokens = await signIn(account.oauth, {
      openBrowser: (url) => this.options.openBrowser(url),
      loginHint: account.user,
    });
    await source.signedIn(tokens);
    this.log.info(`signed in to ${account.oauth.name} for ${account.label}`);
    return undefined;
  }

  private noBuiltIn(): void {
    this.log.warn(`VS Code has no Microsoft sign-in here: Letterbox's own sign-in page instead`);
    this.builtInMissing = true;
  }

  /** Forgets an account's sign-in (Remove Account). */
  async forget(accountId: string): Promise<void> {
    this.sources.delete(accountId);
    await this.secrets.delete(secretKey(accountId));
  }

  private sourceOf(account: AccountConfig): TokenSource | undefined {
    if (!account.oauth) return undefined;
    const builtIn = this.builtInMissing ? undefined : this.options.builtIn;
    const viaVsCode = Boolean(builtIn) && isMicrosoft(account.oauth);
    // A source belongs to one provider and one server binding: an edited account gets a new one.
    const key = JSON.stringify([account.oauth, bindingOf(account), viaVsCode]);
    const known = this.sources.get(account.id);
    if (known?.key === key) return known.source;
    if (viaVsCode && builtIn) {
      const source = new VsCodeSessionTokens(account.oauth, account.user, builtIn);
      this.sources.set(account.id, { key, source });
      return source;
    }
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
