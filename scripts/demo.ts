// `npm run demo`: Letterbox working with real mail, on a fresh Debian machine, in one command. Starts the demo's
// world (scripts/demoEnvironment.ts) and keeps it running until Ctrl+C, which stops all of it.
import { join } from 'node:path';
import { ROOT, startDemo } from './demoEnvironment';

const log = (line: string) => console.log(`demo: ${line}`);

async function main(): Promise<void> {
  const world = await startDemo({
    home: join(ROOT, '.cache', 'demo'),
    port: Number(process.env.LETTERBOX_DEMO_PORT) || undefined,
    theme: process.env.LETTERBOX_DEMO_THEME,
    log,
  });
  console.log(`
  Letterbox demo is running.

    Open  ${world.codeServer.url}  in a browser, then click the envelope icon (Letterbox) in the activity bar.

  Accounts: "Demo (IMAP)" (mail stays on the server) and "Demo (POP3)" (downloaded for offline reading;
  deleting a message here deletes the server copy at the next check). The newsletter's images come from a
  local server and stay blocked until you choose "Load once".

  Press Ctrl+C to stop everything the demo started.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await world.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
