// POP3 download of 1,000 messages, every side a whole process, in two parts:
//   wire: retrieve every message and keep nothing. Letterbox's client (UIDL, pipelined RETR) against the floor
//         (a bare socket that pipelines RETR and only counts bytes; aim: within 1.5x), python3 poplib, curl and
//         fetchmail (BSMTP to /dev/null);
//   durable: the real download into local storage. Letterbox's sync (each message fsynced into Maildir, then the
//         fsynced index: what makes a later DELE safe) against fetchmail handing each message to an MDA that writes
//         a Maildir file (aim: 5x faster), getmail6 into a Maildir (aim: 20x faster), poplib and curl writing a file
//         per message. None of the peers fsyncs.
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededUser } from '../lib/corpus';
import type { BenchCase, BenchContext } from '../lib/context';
import { interleave, timeProcess } from '../lib/measure';
import { measured, newCase, ratio, type CaseResult } from '../lib/report';

const COUNT = Number(process.env.BENCH_POP3_MESSAGES ?? 1_000);

export const pop3Peers: BenchCase = {
  id: 'pop3',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const { server } = context;
    const { user } = seededUser(context, 'pop3-peers', 2, COUNT);
    const login = [server.host, String(server.ports.pop3), user.user, user.password];
    let run = 0;
    const fresh = (name: string) => {
      const dir = join(context.work, `pop3-${name}-${run++}`);
      mkdirSync(dir, { recursive: true });
      return dir;
    };
    const expectFiles = (dir: string, tool: string) => {
      const found = readdirSync(dir).length;
      if (found !== COUNT) throw new Error(`${tool} stored ${found} of ${COUNT} messages`);
    };
    const node = (engine: string, ...extra: string[]) => timeProcess(process.execPath, [engine, ...login, ...extra]);
    // Dovecot indexes the Maildir and computes UIDLs on first access: once, before anyone is timed.
    node(context.engines.pop3Wire, String(COUNT));

    const wire = newCase('pop3-wire', `POP3 wire, ${COUNT.toLocaleString('en-US')} messages`);
    const durable = newCase('pop3-durable', `POP3 durable download, ${COUNT.toLocaleString('en-US')} messages`);
    const tools: Record<string, () => number> = {
      'wire letterbox': () => node(context.engines.pop3Wire, String(COUNT)),
      'wire floor': () => node(context.engines.pop3Floor, String(COUNT)),
      'durable letterbox': () => {
        const root = fresh('letterbox');
        return node(context.engines.pop3Store, root, String(COUNT));
      },
    };
    if (context.has('python3')) {
      tools['wire poplib'] = () =>
        timeProcess('python3', [join(__dirname, '..', 'peers', 'poplibDownload.py'), ...login, '-']);
      tools['durable poplib'] = () => {
        const dir = fresh('poplib');
        const ms = timeProcess('python3', [join(__dirname, '..', 'peers', 'poplibDownload.py'), ...login, dir]);
        expectFiles(dir, 'poplib');
        return ms;
      };
    } else durable.skipped.push('python3 (poplib) is not installed');
    if (context.has('curl')) {
      const url = `pop3://${server.host}:${server.ports.pop3}/[1-${COUNT}]`;
      tools['wire curl'] = () =>
        timeProcess('curl', ['-sS', '--fail', '-u', `${user.user}:${user.password}`, url], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
      tools['durable curl'] = () => {
        const dir = fresh('curl');
        const ms = timeProcess('curl', [
          '-sS',
          '--fail',
          '-u',
          `${user.user}:${user.password}`,
          url,
          '-o',
          join(dir, 'msg-#1'),
        ]);
        expectFiles(dir, 'curl');
        return ms;
      };
    } else durable.skipped.push('curl could not be installed');
    if (context.has('fetchmail')) {
      tools['wire fetchmail'] = () => fetchmail(fresh('fetchmail-wire'), login, { bsmtp: '/dev/null' });
      tools['durable fetchmail+MDA'] = () => {
        const dir = fresh('fetchmail-mda');
        const ms = fetchmail(dir, login, { maildir: join(dir, 'Maildir') });
        expectFiles(join(dir, 'Maildir', 'new'), 'fetchmail+MDA');
        return ms;
      };
    } else durable.skipped.push('fetchmail could not be installed');
    if (context.has('getmail6')) {
      tools['durable getmail6'] = () => {
        const dir = fresh('getmail');
        const ms = getmail(dir, login);
        expectFiles(join(dir, 'Maildir', 'new'), 'getmail6');
        return ms;
      };
    } else durable.skipped.push('getmail6 could not be installed');

    const times = await interleave(context.rounds, tools);
    const part = (name: string) => (name.startsWith('wire') ? wire : durable);
    const results = Object.fromEntries(
      Object.entries(times).map(([name, values]) => [
        name,
        measured(part(name), name.replace(/^(wire|durable) /, ''), values),
      ]),
    );
    const aims: Record<string, number> = { 'wire floor': 1.5, 'durable fetchmail+MDA': 0.2, 'durable getmail6': 0.05 };
    for (const name of Object.keys(times)) {
      if (name.endsWith(' letterbox')) continue;
      const ours = name.startsWith('wire') ? results['wire letterbox'] : results['durable letterbox'];
      ratio(part(name), `letterbox / ${name.replace(/^(wire|durable) /, '')}`, ours, results[name], aims[name]);
    }
    const storing = results['durable letterbox'].median - results['wire letterbox'].median;
    durable.notes.push(
      `Letterbox's durable part (store, fsyncs, index) is the durable median minus the wire median: ${storing.toFixed(0)} ms of ${results['durable letterbox'].median.toFixed(0)} ms.`,
    );
    durable.notes.push(
      'Letterbox fsyncs every message and its index before any DELE could follow; the peers write without fsync.',
    );
    return [wire, durable];
  },
};

function fetchmail(
  dir: string,
  [host, port, user, password]: string[],
  target: { bsmtp: string } | { maildir: string },
): number {
  let delivery: string[];
  if ('maildir' in target) {
    // The MDA a fetchmail user configures (procmail, maildrop) reduced to its core: a Maildir tmp/ -> new/ file.
    for (const sub of ['tmp', 'new', 'cur']) mkdirSync(join(target.maildir, sub), { recursive: true });
    const deliver = join(dir, 'deliver.sh');
    writeFileSync(deliver, '#!/bin/sh\nset -e\nf=$(mktemp "$1/tmp/m.XXXXXXXX")\ncat > "$f"\nmv "$f" "$1/new/"\n');
    chmodSync(deliver, 0o755);
    delivery = [];
    writeFileSync(
      join(dir, 'fetchmailrc'),
      `poll ${host} service ${port} protocol POP3 uidl no dns\n  user "${user}" password "${password}" keep fetchall\n  mda "${deliver} ${target.maildir}"\n`,
      { mode: 0o600 },
    );
  } else {
    delivery = ['--bsmtp', target.bsmtp];
    writeFileSync(
      join(dir, 'fetchmailrc'),
      `poll ${host} service ${port} protocol POP3 uidl no dns\n  user "${user}" password "${password}" keep fetchall\n`,
      { mode: 0o600 },
    );
  }
  return timeProcess('fetchmail', ['-f', join(dir, 'fetchmailrc'), ...delivery, '--nosoftbounce', '--sslproto', ''], {
    env: { ...process.env, FETCHMAILHOME: dir, HOME: dir },
  });
}

function getmail(dir: string, [host, port, user, password]: string[]): number {
  const maildir = join(dir, 'Maildir');
  for (const sub of ['tmp', 'new', 'cur']) mkdirSync(join(maildir, sub), { recursive: true });
  // getmail refuses to deliver as root; it switches to the user named here, who must own the Maildir.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) for (const sub of ['', 'tmp', 'new', 'cur']) chownSync(join(maildir, sub), 65534, 65534);
  writeFileSync(
    join(dir, 'getmailrc'),
    [
      '[retriever]',
      'type = SimplePOP3Retriever',
      `server = ${host}`,
      `port = ${port}`,
      `username = ${user}`,
      `password = ${password}`,
      '',
      '[destination]',
      'type = Maildir',
      `path = ${maildir}/`,
      ...(asRoot ? ['user = nobody'] : []),
      '',
      '[options]',
      'read_all = true',
      'delete = false',
      'verbose = 0',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return timeProcess('getmail', ['--getmaildir', dir, '--rcfile', join(dir, 'getmailrc')], {
    env: { ...process.env, HOME: dir },
  });
}
