// A 10,000-message Inbox opened cold (empty cache) against a warm reopen (cache on disk, 10 flags changed
// elsewhere meanwhile), in time and in bytes read from the socket (a counting proxy in front of Dovecot), plus the
// warm reopen's first paint straight from the cache. Both sides are Letterbox, in-process, interleaved by round.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mailBackendFactory } from '../../src/accounts/backendFactory';
import { silentLogger } from '../../src/mail/logger';
import type { MailBackend } from '../../src/mail/mailBackend';
import { inFolder } from '../../test/mail/mailbox';
import { CuttingProxy } from '../../test/servers/cuttingProxy';
import { seededUser } from '../lib/corpus';
import type { BenchCase, BenchContext } from '../lib/context';
import { measured, newCase, ratio, type CaseResult } from '../lib/report';

const COUNT = Number(process.env.BENCH_IMAP_MESSAGES ?? 10_000);

export const imapReopen: BenchCase = {
  id: 'reopen',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const { server } = context;
    const { user } = seededUser(context, 'imap-reopen', 3, COUNT);
    const proxy = await CuttingProxy.start(server.ports.imap);
    try {
      const backend = (storage: string): MailBackend =>
        mailBackendFactory({ log: silentLogger, storageRoot: storage, bodyCacheBytes: () => 0 })(
          {
            id: 'bench',
            label: 'bench',
            email: '',
            protocol: 'imap',
            host: '127.0.0.1',
            port: proxy.port,
            security: 'none',
            user: user.user,
          },
          async () => user.password,
        );
      const open = async (mail: MailBackend) => {
        await mail.listFolders();
        return mail.listMessages('INBOX', { limit: 50 });
      };
      // Dovecot's first SELECT indexes the Maildir: untimed.
      const warmUp = backend(mkdtempSync(join(context.work, 'reopen-')));
      await open(warmUp);
      await warmUp.close();
      const cold = { ms: [] as number[], bytes: [] as number[] };
      const warm = { ms: [] as number[], bytes: [] as number[], paint: [] as number[] };
      for (let round = 0; round < context.rounds; round++) {
        const storage = mkdtempSync(join(context.work, 'reopen-'));
        let mail = backend(storage);
        let start = performance.now();
        await open(mail);
        cold.ms.push(performance.now() - start);
        await mail.close();
        cold.bytes.push(proxy.lastSessionBytes);
        // Elsewhere, 10 messages among the newest change flags while this window is closed.
        await inFolder(server, user, 'INBOX', (client) =>
          client.messageFlagsAdd(`${COUNT - 20 - round}:${COUNT - 11 - round}`, ['\\Flagged'], { uid: true }),
        );
        mail = backend(storage);
        start = performance.now();
        const page = await mail.cache?.page('INBOX', 50);
        warm.paint.push(performance.now() - start);
        if (page?.messages.length !== 50) throw new Error('the cache did not answer');
        start = performance.now();
        const resynced = await open(mail);
        warm.ms.push(performance.now() - start);
        await mail.close();
        warm.bytes.push(proxy.lastSessionBytes);
        if (resynced.messages.filter((message) => message.flags.flagged).length < 10)
          throw new Error('the resync missed flag changes');
      }
      const time = newCase('imap-reopen-time', 'IMAP warm reopen vs cold (time)');
      ratio(
        time,
        'warm resync / cold open',
        measured(time, 'warm reopen: resync, 10 changes', warm.ms),
        measured(time, 'cold open: folders + newest 50', cold.ms),
      );
      measured(time, 'warm reopen: first paint from cache', warm.paint);
      const bytes = newCase('imap-reopen-bytes', 'IMAP warm reopen vs cold (bytes)');
      ratio(
        bytes,
        'warm resync / cold open',
        measured(bytes, 'warm reopen: bytes from server', warm.bytes, 'bytes'),
        measured(bytes, 'cold open: bytes from server', cold.bytes, 'bytes'),
      );
      bytes.notes.push(
        'Dovecot offers QRESYNC: the warm reopen is one SELECT (QRESYNC ...) that returns the 10 changed flags, plus the folder list with counts.',
      );
      return [time, bytes];
    } finally {
      await proxy.stop();
    }
  },
};
