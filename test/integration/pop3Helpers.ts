import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/mail/logger';
import type { ServerSettings } from '../../src/mail/types';
import type { SearchTextOptions } from '../../src/store/searchTexts';
import { Pop3Backend } from '../../src/sync/pop3Backend';
import { DEFAULT_POP3_POLICY, type Pop3Policy } from '../../src/sync/pop3Policy';
import type { DovecotServer, TestUser } from '../servers/dovecot';
import { dovecotSettings } from '../servers/serverSettings';
import { collectingLogger } from './imapHelpers';
import type { AccessTokens } from '../../src/mail/accessTokens';

export interface Pop3Fixture {
  backend: Pop3Backend;
  storeRoot: string;
  /** A second backend on the same store, as after a restart of VS Code. */
  reopen(overrides?: Partial<Pop3FixtureOptions>): Pop3Backend;
}

export interface Pop3FixtureOptions {
  policy: Partial<Pop3Policy>;
  server: Partial<ServerSettings>;
  log: Logger;
  now: () => Date;
  storeRoot: string;
  searchTexts: SearchTextOptions;
  /** Signs in with OAuth2 access tokens instead of the password. */
  oauth: AccessTokens;
}

const roots: string[] = [];

export function pop3Fixture(
  server: DovecotServer,
  user: TestUser,
  options: Partial<Pop3FixtureOptions> = {},
): Pop3Fixture {
  const storeRoot = options.storeRoot ?? mkdtempSync(join(tmpdir(), 'letterbox-store-'));
  roots.push(storeRoot);
  const make = (overrides: Partial<Pop3FixtureOptions> = {}) => {
    const merged = { ...options, ...overrides };
    return new Pop3Backend({
      account: `pop-${user.user}`,
      server: dovecotSettings(server, user, 'pop3', merged.server),
      password: async () => user.password,
      log: merged.log ?? collectingLogger(),
      storeRoot,
      policy: { ...DEFAULT_POP3_POLICY, ...merged.policy },
      timeouts: { connectMs: 5_000, replyMs: 10_000 },
      now: merged.now,
      searchTexts: merged.searchTexts,
      oauth: merged.oauth,
    });
  };
  return { backend: make(), storeRoot, reopen: make };
}

export function removeStores(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}
