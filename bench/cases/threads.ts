// Threads, in-process on every side (the work exists only inside Letterbox):
//   building threads for a 10,000-message folder from the summaries a cold load returns, as a share of the
//   issue's 200 ms budget (p50 and p95);
//   what fetching the References header for threads adds to a cold summary load: bytes received for all 10,000
//   summaries as Letterbox lists them (References only for replies whose parent is not listed), against the
//   summaries alone, for personal mail and for a busy mailing list (aim: at most 1.10).
// The corpora are the benchmarks' usual mail with threading headers added: personal mail, where one message in
// seven answers an earlier one, and a mailing list, where seven in ten do; References as long as their ancestry,
// bounded as real clients do.
import { ImapFlow } from 'imapflow';
import { performance } from 'node:perf_hooks';
import type { MessageSummary } from '../../src/mail/types';
import { mailThreads } from '../../src/mailbox/mailThreads';
import { newestBySequence, SUMMARY_QUERY } from '../../src/protocols/imap/imapSummaries';
import { seededRandom } from '../../test/support/seededRandom';
import { corpusMessage, type CorpusMessage } from '../lib/corpus';
import type { BenchCase, BenchContext } from '../lib/context';
import { interleave, percentile } from '../lib/measure';
import { measured, newCase, ratio, type CaseResult } from '../lib/report';

const COUNT = Number(process.env.BENCH_THREAD_MESSAGES ?? 10_000);
const BUDGET_MS = 200;
const SEED = 7;

/** The corpus with `replies` of its messages answering an earlier one, with In-Reply-To and References. */
function threadedCorpus(count: number, replies: number): CorpusMessage[] {
  const random = seededRandom(SEED);
  const ancestry: string[][] = [];
  return Array.from({ length: count }, (_, index) => {
    const message = corpusMessage(SEED, index);
    const answers = index > 0 && random() < replies;
    const parent = answers ? Math.max(0, index - 1 - Math.floor(random() * Math.min(index, 300))) : -1;
    const chain = parent >= 0 ? [...ancestry[parent], `bench-${SEED}-${parent}@example.org`] : [];
    ancestry.push(chain);
    if (!chain.length) return message;
    // Long ancestries are cut as mailers do: the thread's first message and the newest ones.
    const kept = chain.length > 10 ? [chain[0], ...chain.slice(-9)] : chain;
    const headers = [`In-Reply-To: <${chain.at(-1)}>`, `References: ${kept.map((id) => `<${id}>`).join('\r\n ')}`].join(
      '\r\n',
    );
    const raw = message.raw.toString('latin1').replace(/^(Message-ID: [^\r\n]*)/m, `$1\r\n${headers}`);
    return { ...message, raw: Buffer.from(raw, 'latin1') };
  });
}

async function connected(context: BenchContext, user: { user: string; password: string }): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: context.server.host,
    port: context.server.ports.imap,
    secure: false,
    doSTARTTLS: false,
    auth: { user: user.user, pass: user.password },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  await client.mailboxOpen('INBOX', { readOnly: true });
  return client;
}

/**
 * Bytes the server sent for every summary of the Inbox on a fresh connection: as Letterbox lists them (the
 * summaries, then References for the replies whose parent is not listed), or the summaries alone.
 */
async function summaryBytes(context: BenchContext, user: { user: string; password: string }, withReferences: boolean) {
  const client = await connected(context, user);
  try {
    client.stats(true);
    if (withReferences)
      await newestBySequence(client, client.mailbox ? client.mailbox.exists : 0, COUNT, {
        account: 'bench',
        folder: 'INBOX',
      });
    else for await (const message of client.fetch('1:*', SUMMARY_QUERY)) void message;
    return client.stats().received;
  } finally {
    await client.logout();
  }
}

export const threads: BenchCase = {
  id: 'threads',
  async run(context: BenchContext): Promise<CaseResult[]> {
    const user = context.server.addUser('threads-list');
    context.server.deliverToMaildir(user, threadedCorpus(COUNT, 0.7));
    const personal = context.server.addUser('threads-personal');
    context.server.deliverToMaildir(personal, threadedCorpus(COUNT, 0.15));
    context.progress(`threads: ${COUNT} list messages and ${COUNT} personal ones delivered as Maildir files`);

    // The summaries a cold load returns, as the backend lists them (with the References it needs).
    const client = await connected(context, user);
    let summaries: MessageSummary[];
    try {
      const listed = await newestBySequence(client, client.mailbox ? client.mailbox.exists : 0, COUNT, {
        account: 'bench',
        folder: 'INBOX',
      });
      summaries = listed.map((entry) => entry.summary);
    } finally {
      await client.logout();
    }
    summaries.reverse();

    const build = newCase('threads-build', `Threads of ${COUNT.toLocaleString('en-US')} list summaries`);
    const times: number[] = [];
    let count = 0;
    for (let round = 0; round < context.rounds * 6; round++) {
      const start = performance.now();
      count = mailThreads(summaries, []).length;
      times.push(performance.now() - start);
    }
    measured(build, 'letterbox: build threads', times);
    build.ratios.push(
      { label: `p50 / ${BUDGET_MS} ms budget`, value: percentile(times, 50) / BUDGET_MS, aim: 1, share: true },
      { label: `p95 / ${BUDGET_MS} ms budget`, value: percentile(times, 95) / BUDGET_MS, aim: 1, share: true },
    );
    build.notes.push(
      `${count.toLocaleString('en-US')} threads from ${summaries.length.toLocaleString('en-US')} summaries`,
    );

    const bytes = newCase('threads-bytes', `Cold summary load of ${COUNT.toLocaleString('en-US')}: References' cost`);
    const received = await interleave(context.rounds, {
      personal: () => summaryBytes(context, personal, true),
      personalWithout: () => summaryBytes(context, personal, false),
      list: () => summaryBytes(context, user, true),
      listWithout: () => summaryBytes(context, user, false),
    });
    ratio(
      bytes,
      'personal mail: bytes with References / without',
      measured(bytes, 'personal mail, letterbox query (with References)', received.personal, 'bytes'),
      measured(bytes, 'personal mail, the same query without References', received.personalWithout, 'bytes'),
      1.1,
    );
    ratio(
      bytes,
      'mailing list: bytes with References / without',
      measured(bytes, 'mailing list, letterbox query (with References)', received.list, 'bytes'),
      measured(bytes, 'mailing list, the same query without References', received.listWithout, 'bytes'),
      1.1,
    );
    bytes.notes.push(
      'References are fetched only for replies whose parent is not among the messages listed; a list where 7 in 10 messages are replies with References up to 10 ids long',
    );
    return [build, bytes];
  },
};
