// The demo's world, shared by `npm run demo` and `npm run screenshots`: a private Dovecot with a demo mailbox, a
// loopback server for the newsletter's remote images, and a real VS Code (code-server) with Letterbox installed and
// an IMAP and a POP3 account configured (their passwords go to SecretStorage through the extension itself).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { CodeServer } from '../test/e2e/codeServer';
import { ensureE2eTools } from '../test/e2e/e2eTools';
import { seedDemo } from '../test/mail/demoMailbox';
import { DovecotServer } from '../test/servers/dovecot';
import { freePort } from '../test/servers/ports';

export const ROOT = resolve(__filename, '..', '..');

export interface DemoWorld {
  codeServer: CodeServer;
  dovecot: DovecotServer;
  stop(): Promise<void>;
}

export async function startDemo(options: {
  home: string;
  port?: number;
  theme?: string;
  log: (line: string) => void;
}): Promise<DemoWorld> {
  const { log } = options;
  ensureE2eTools(log);
  log('building the extension (npm run package)');
  const build = spawnSync('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run package failed');

  const images = await startImageServer(log);
  const dovecot = await DovecotServer.start();
  const imap = dovecot.addUser('demo-imap');
  const pop3 = dovecot.addUser('demo-pop');
  await seedDemo(dovecot, imap, pop3, images.base);
  log(`Dovecot is up: IMAPS 127.0.0.1:${dovecot.ports.imaps}, POP3S 127.0.0.1:${dovecot.ports.pop3s}`);

  const accounts = [
    {
      id: 'demo-imap',
      label: 'Demo (IMAP)',
      email: 'demo@letterbox.test',
      protocol: 'imap',
      host: '127.0.0.1',
      port: dovecot.ports.imaps,
      security: 'tls',
      user: imap.user,
      pinnedCertificateSha256: dovecot.certificate.sha256,
    },
    {
      id: 'demo-pop3',
      label: 'Demo (POP3)',
      email: 'offline@letterbox.test',
      protocol: 'pop3',
      host: '127.0.0.1',
      port: dovecot.ports.pop3s,
      security: 'tls',
      user: pop3.user,
      pinnedCertificateSha256: dovecot.certificate.sha256,
      pop3: { leaveOnServer: true, deleteWhenDeletedLocally: true },
    },
  ];
  rmSync(options.home, { recursive: true, force: true });
  mkdirSync(options.home, { recursive: true });
  const codeServer = await CodeServer.start({
    vsix: join(ROOT, 'letterbox.vsix'),
    home: options.home,
    port: options.port ?? (await freePort()),
    settings: { 'letterbox.accounts': accounts, 'workbench.colorTheme': options.theme ?? 'Default Dark Modern' },
    env: { LETTERBOX_DEMO_PASSWORDS: JSON.stringify({ 'demo-imap': imap.password, 'demo-pop3': pop3.password }) },
  });
  return {
    codeServer,
    dovecot,
    stop: async () => {
      await codeServer.stop();
      await dovecot.stop();
      images.server.close();
    },
  };
}

/** Serves the newsletter's "remote" images on loopback, so Load once visibly loads something. */
async function startImageServer(
  log: (line: string) => void,
): Promise<{ server: ReturnType<typeof createServer>; base: string }> {
  const banner = png(560, 120, (x, y) => [180 - Math.round((y / 120) * 60), 70 + Math.round((x / 560) * 60), 43]);
  const pixel = png(1, 1, () => [255, 255, 255]);
  const server = createServer((request, response) => {
    log(`image server: ${request.url} was requested`);
    response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
    response.end(request.url?.startsWith('/banner') ? banner : pixel);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as { port: number };
  return { server, base: `http://127.0.0.1:${address.port}` };
}

function png(width: number, height: number, color: (x: number, y: number) => [number, number, number]): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(color(x, y), 1 + x * 3);
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
