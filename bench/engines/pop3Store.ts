// Engine for bench/cases/pop3Peers.ts, the durable download: Letterbox's real POP3 sync into its store (each
// message fsynced into Maildir tmp/ then new/, then the fsynced index; only then would a DELE be allowed).
// argv: host port user password storeRoot expectedCount
import { silentLogger } from '../../src/mail/logger';
import { Pop3Backend } from '../../src/sync/pop3Backend';

async function main(): Promise<void> {
  const [host, port, user, password, storeRoot, expected] = process.argv.slice(2);
  const backend = new Pop3Backend({
    account: 'bench',
    server: { host, port: Number(port), security: 'none', user },
    password: async () => password,
    log: silentLogger,
    storeRoot,
    policy: { leaveOnServer: true, deleteWhenDeletedLocally: false },
  });
  const report = await backend.sync();
  await backend.close();
  if (report.downloaded !== Number(expected)) throw new Error(`downloaded ${report.downloaded} of ${expected}`);
  process.stdout.write(`${report.downloaded}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
