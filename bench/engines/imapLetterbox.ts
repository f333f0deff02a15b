// Engine for bench/cases/imapPeers.ts, bundled like the extension: Letterbox's IMAP backend lists the Inbox,
// the newest LIMIT summaries (LIMIT 0: all of them, in pages of 1,000, as a cache fill would).
// argv: host port user password limit
import { silentLogger } from '../../src/mail/logger';
import { ImapBackend } from '../../src/protocols/imap/imapBackend';

async function main(): Promise<void> {
  const [host, port, user, password, limitText] = process.argv.slice(2);
  const limit = Number(limitText);
  const backend = new ImapBackend({
    account: 'bench',
    server: { host, port: Number(port), security: 'none', user },
    password: async () => password,
    log: silentLogger,
  });
  let page = await backend.listMessages('INBOX', { limit: limit || 1000 });
  let count = page.messages.length;
  while (!limit && page.next) {
    page = await backend.listMessages('INBOX', { limit: 1000, after: page.next });
    count += page.messages.length;
  }
  await backend.close();
  process.stdout.write(`${count}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
