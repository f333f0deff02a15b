// IMAP against its peers, every side a whole process (start, connect, log in, open the Inbox, fetch, exit):
//   first page: the newest 50 summaries, Letterbox's engine against bare imapflow (aim: at most 1.1x);
//   all summaries of a 10,000-message Inbox (what filling a cache costs): Letterbox against bare imapflow (aim:
//   at most 1.2x), Python's imaplib (one raw FETCH, no parsing) and mbsync (isync) pulling whole messages into
//   a local Maildir: the tool a user would otherwise run to get the mail onto the machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededUser } from '../lib/corpus';
import type { BenchCase, BenchContext } from '../lib/context';
import { interleave, timeProcess } from '../lib/measure';
import { measured, newCase, ratio, type CaseResult } from '../lib/report';

const COUNT = Number(process.env.BENCH_IMAP_MESSAGES ?? 10_000);

export const imapPeers: BenchCase = {
  id: 'imap',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const { server } = context;
    const { user, megabytes } = seededUser(context, 'imap-peers', 1, COUNT);
    const args = [server.host, String(server.ports.imap), user.user, user.password];
    const node = (engine: string, limit: number) => () =>
      timeProcess(process.execPath, [engine, ...args, String(limit)]);
    // Dovecot indexes a Maildir on its first SELECT; that one-time cost belongs to no tool.
    node(context.engines.imapflowBare, 0)();

    const firstPage = newCase('imap-first-page', 'IMAP first page (newest 50)');
    // A first page takes a fifth of a second, mostly process start and login: three times the rounds for a
    // steadier median.
    const first = await interleave(context.rounds * 3, {
      letterbox: node(context.engines.imapLetterbox, 50),
      imapflow: node(context.engines.imapflowBare, 50),
    });
    ratio(
      firstPage,
      'letterbox / bare imapflow',
      measured(firstPage, 'letterbox', first.letterbox),
      measured(firstPage, 'bare imapflow', first.imapflow),
      1.1,
    );

    const all = newCase('imap-all-summaries', `IMAP all ${COUNT.toLocaleString('en-US')} summaries`);
    const tools: Record<string, () => number> = {
      letterbox: node(context.engines.imapLetterbox, 0),
      imapflow: node(context.engines.imapflowBare, 0),
    };
    if (context.has('python3'))
      tools.imaplib = () => timeProcess('python3', [join(__dirname, '..', 'peers', 'imapSummaries.py'), ...args, '0']);
    else all.skipped.push('python3 (imaplib) is not installed');
    if (context.has('isync')) tools.mbsync = mbsync(context, args);
    else all.skipped.push('mbsync: isync could not be installed');
    const times = await interleave(context.rounds, tools);
    const ours = measured(all, 'letterbox (summaries)', times.letterbox);
    ratio(all, 'letterbox / bare imapflow', ours, measured(all, 'bare imapflow (summaries)', times.imapflow), 1.2);
    if (times.imaplib) ratio(all, 'letterbox / imaplib', ours, measured(all, 'imaplib (raw summaries)', times.imaplib));
    if (times.mbsync)
      ratio(
        all,
        'letterbox / mbsync',
        ours,
        measured(all, `mbsync (${megabytes.toFixed(0)} MB of whole messages)`, times.mbsync),
      );
    all.notes.push(
      "Letterbox lists in pages of 1,000 (the tree's paging), bare imapflow and imaplib send one FETCH 1:*; mbsync copies whole messages, not summaries.",
    );
    return [firstPage, all];
  },
};

function mbsync(context: BenchContext, [host, port, user, password]: string[]): () => number {
  let run = 0;
  return () => {
    const maildir = join(context.work, `mbsync-${run++}`);
    mkdirSync(maildir);
    const rc = join(maildir, 'mbsyncrc');
    writeFileSync(
      rc,
      [
        'IMAPAccount bench',
        `Host ${host}`,
        `Port ${port}`,
        `User ${user}`,
        `Pass ${password}`,
        'SSLType None',
        'AuthMechs LOGIN',
        '',
        'IMAPStore remote',
        'Account bench',
        '',
        'MaildirStore local',
        `Path ${maildir}/`,
        `Inbox ${maildir}/INBOX`,
        '',
        'Channel inbox',
        'Far :remote:INBOX',
        'Near :local:INBOX',
        'Create Near',
        'Sync Pull',
        'SyncState *',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    return timeProcess('mbsync', ['-c', rc, 'inbox']);
  };
}
