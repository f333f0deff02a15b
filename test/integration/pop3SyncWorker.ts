// One "VS Code window" for the two-process test: its own OS process with its own POP3 backend on a shared store,
// syncing the given number of times. Prints one JSON line with what it saw; exits non-zero on a failure.
import { Pop3Backend } from '../../src/sync/pop3Backend';
import type { Pop3Policy } from '../../src/sync/pop3Policy';
import type { ServerSettings } from '../../src/mail/types';

interface WorkerJob {
  server: ServerSettings;
  password: string;
  storeRoot: string;
  policy: Pop3Policy;
  rounds: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.LETTERBOX_WORKER_JOB ?? '{}') as WorkerJob;
  const warnings: string[] = [];
  const log = {
    trace() {},
    debug() {},
    info() {},
    warn: (line: string) => warnings.push(line),
    error: (line: string) => warnings.push(line),
  };
  let downloaded = 0;
  const errors: string[] = [];
  for (let round = 0; round < job.rounds; round++) {
    // A fresh backend now and then, as after a window reload.
    const backend = new Pop3Backend({
      account: 'shared',
      server: job.server,
      password: async () => job.password,
      log,
      storeRoot: job.storeRoot,
      policy: job.policy,
      timeouts: { connectMs: 5_000, replyMs: 10_000 },
    });
    try {
      downloaded += (await backend.sync()).downloaded;
    } catch (error) {
      errors.push((error as Error).message);
    } finally {
      await backend.close();
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
  }
  process.stdout.write(`${JSON.stringify({ pid: process.pid, downloaded, errors, warnings })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
