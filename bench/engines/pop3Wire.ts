// Engine for bench/cases/pop3Peers.ts, the wire part: Letterbox's POP3 client logs in, asks UIDL, then
// pipelines every RETR into a sink that only counts bytes. argv: host port user password expectedCount
import { silentLogger } from '../../src/mail/logger';
import { Pop3Client } from '../../src/protocols/pop3/pop3Client';

async function main(): Promise<void> {
  const [host, port, user, password, expected] = process.argv.slice(2);
  const client = await Pop3Client.connect({
    server: { host, port: Number(port), security: 'none', user },
    password,
    log: silentLogger,
  });
  const ids = await client.uidl();
  let bytes = 0;
  await Promise.all(ids.map((id) => client.retr(id.number, (chunk) => (bytes += chunk.length))));
  await client.quit();
  if (ids.length !== Number(expected) || !bytes) throw new Error(`retrieved ${ids.length} of ${expected}`);
  process.stdout.write(`${bytes}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
