// An IMAP account's settings for tests on the in-memory backend, where the server's address is never used.
import type { AccountConfig } from '../../src/accounts/accountConfig';

export const IMAP_ACCOUNT: AccountConfig = {
  id: 'work',
  label: 'Work',
  email: '',
  protocol: 'imap',
  host: 'h',
  port: 993,
  security: 'tls',
  user: 'u',
};
