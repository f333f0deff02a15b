// Peer engine for bench/cases/imapPeers.ts: bare imapflow, the least a Node client can do for the same answer:
// one FETCH of the same summary items for the newest LIMIT messages (LIMIT 0: all), no translation.
// argv: host port user password limit
import { ImapFlow } from 'imapflow';

async function main(): Promise<void> {
  const [host, port, user, pass, limitText] = process.argv.slice(2);
  const limit = Number(limitText);
  const client = new ImapFlow({
    host,
    port: Number(port),
    secure: false,
    doSTARTTLS: false,
    auth: { user, pass },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  const lock = await client.getMailboxLock('INBOX');
  let count = 0;
  try {
    const exists = client.mailbox ? client.mailbox.exists : 0;
    const from = limit ? Math.max(1, exists - limit + 1) : 1;
    for await (const message of client.fetch(`${from}:*`, {
      uid: true,
      flags: true,
      envelope: true,
      size: true,
      internalDate: true,
      bodyStructure: true,
    })) {
      if (message.uid) count++;
    }
  } finally {
    lock.release();
  }
  await client.logout();
  process.stdout.write(`${count}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
