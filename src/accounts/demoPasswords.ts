// `npm run demo` only: the demo accounts' passwords arrive in LETTERBOX_DEMO_PASSWORDS ({"account id": "password"})
// and are put into SecretStorage once, exactly where "Enter Password" would put them. In code-server that storage
// belongs to the browser session, which no file on the server can fill. Without the variable this does nothing.
import type { Logger } from '../mail/logger';
import type { AccountConfig } from './accountConfig';
import type { PasswordLookup } from './passwordVault';

export async function storeDemoPasswords(
  accounts: AccountConfig[],
  store: {
    lookup(account: AccountConfig): Promise<PasswordLookup>;
    setPassword(account: AccountConfig, password: string): Promise<void>;
  },
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const raw = env.LETTERBOX_DEMO_PASSWORDS;
  if (!raw) return;
  let passwords: Record<string, unknown>;
  try {
    passwords = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    log.warn('LETTERBOX_DEMO_PASSWORDS is not JSON; ignored');
    return;
  }
  for (const account of accounts) {
    const password = passwords[account.id];
    if (typeof password !== 'string' || (await store.lookup(account)).state === 'ok') continue;
    await store.setPassword(account, password);
    log.info(`stored the demo password of ${account.label} in SecretStorage`);
  }
}
