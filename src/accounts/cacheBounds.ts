// What is kept on disk follows the settings: at start, when letterbox.cache.messageSizeMB changes, and when the
// account list changes (backendFactory.ts boundCaches: every IMAP account's kept bodies fit the setting, and the
// caches of accounts no longer configured go). Not at the next write: "keep none" means none, now.
import type { Event } from '../mail/events';
import type { Logger } from '../mail/logger';
import { Disposable } from '../util/disposable';
import type { AccountConfig } from './accountConfig';
import type { AccountSessions } from './accountSessions';
import { boundCaches } from './backendFactory';
import type { Settings } from './settings';

export class CacheBounds extends Disposable {
  constructor(
    private readonly storageRoot: string,
    private readonly sessions: AccountSessions,
    private readonly settings: Settings,
    accountsChanged: Event<AccountConfig[]>,
    private readonly log: Logger,
  ) {
    super();
    this._register(settings.onDidChange(['cache.messageSizeMB'], () => this.apply()));
    this._register(accountsChanged(() => this.apply()));
    this.apply();
  }

  /** The most bytes of opened IMAP messages kept (the setting, in megabytes). */
  static bodyBytes(settings: Settings): number {
    return settings.get('cache.messageSizeMB') * 1024 * 1024;
  }

  private apply(): void {
    void boundCaches(this.storageRoot, this.sessions.accounts(), CacheBounds.bodyBytes(this.settings)).catch(
      (error: Error) => this.log.warn(`bounding the caches: ${error.message}`),
    );
  }
}
