// Patch series among a folder's or a thread's messages, as b4 sees them: the patches of one revision of one
// author's series, found through the thread they were sent in (git send-email threads them to the cover letter),
// with the cover letter (0/n), the patches by number, which numbers are missing, the replies that review them,
// and whether a newer revision of the same series is among the messages. VS Code-free.
import type { Address } from '../mail/types';
import { threadMessages, type Threadable, type ThreadBranch } from '../mailbox/threading';
import { parsePatchSubject, type PatchSubject } from './patchSubject';

export interface SeriesMessage extends Threadable {
  from: Address[];
}

export interface PatchSeries<T> {
  /** Stable for one revision of one series: its first message's Message-ID and the revision. */
  key: string;
  /** The cover letter's title, else the first patch's. */
  title: string;
  version: number;
  /** How many patches the series says it has. */
  total: number;
  rfc: boolean;
  /** Who sent it: the cover letter's sender, else the first patch's author. */
  author?: Address;
  cover?: T;
  /** Patch i of the series at [i - 1]; undefined where it is not among the messages. */
  patches: Array<T | undefined>;
  /** The numbers of the patches that are not here. */
  missing: number[];
  /** The other messages that answer the cover letter or a patch (reviews), each with what it answers. */
  replies: Array<{ message: T; answers: 'cover' | number }>;
  /** A newer revision of the same series among the messages. */
  supersededBy?: { key: string; version: number };
  /** The newest message's time (ms since 1970). */
  latest: number;
}

interface Draft<T> {
  series: PatchSeries<T>;
  owner: string;
}

/** Every series among the messages, newest first. */
export function findSeries<T extends SeriesMessage>(messages: T[]): PatchSeries<T>[] {
  const found: Array<PatchSeries<T>> = [];
  for (const thread of threadMessages(messages)) {
    const drafts = new Map<string, Draft<T>>();
    for (const branch of thread.branches) walk(branch, undefined, drafts);
    found.push(...[...drafts.values()].map((draft) => finish(draft.series)));
  }
  markSuperseded(found);
  return found.sort((a, b) => b.latest - a.latest);
}

/** Visits a branch: a patch joins (or starts) its series; anything else answers the nearest patch above it. */
function walk<T extends SeriesMessage>(
  branch: ThreadBranch<T>,
  above: { series: PatchSeries<T>; answers: 'cover' | number } | undefined,
  drafts: Map<string, Draft<T>>,
): void {
  const message = branch.message;
  const subject = parsePatchSubject(message.subject);
  let here = above;
  if (subject) {
    const series = seriesOf(message, subject, drafts);
    if (subject.index === 0) series.cover ??= message;
    else series.patches[subject.index - 1] ??= message;
    here = { series, answers: subject.index === 0 ? 'cover' : subject.index };
  } else if (above) above.series.replies.push({ message, answers: above.answers });
  if (here) here.series.latest = Math.max(here.series.latest, message.date?.getTime() ?? 0);
  for (const reply of branch.replies) walk(reply, here, drafts);
}

function seriesOf<T extends SeriesMessage>(
  message: T,
  subject: PatchSubject,
  drafts: Map<string, Draft<T>>,
): PatchSeries<T> {
  const author = message.from[0];
  // One revision of a series in a thread: its patches may have several authors (a maintainer sends others' work
  // with its own cover letter), so the sender does not split it.
  const owner = `v${subject.version} /${subject.total}`;
  const known = drafts.get(owner);
  if (known) {
    if (subject.index === 0 || (!known.series.cover && subject.index === 1)) known.series.title = subject.title;
    // Whose series it is: the cover letter's sender, else the first patch's author.
    if (subject.index === 0 && author) known.series.author = author;
    known.series.rfc ||= subject.rfc;
    return known.series;
  }
  const series: PatchSeries<T> = {
    key: `${message.messageId ?? message.subject} v${subject.version}`,
    title: subject.title,
    version: subject.version,
    total: subject.total,
    rfc: subject.rfc,
    author,
    patches: Array.from({ length: subject.total }, () => undefined),
    missing: [],
    replies: [],
    latest: 0,
  };
  drafts.set(owner, { series, owner });
  return series;
}

function finish<T>(series: PatchSeries<T>): PatchSeries<T> {
  series.missing = series.patches.flatMap((patch, index) => (patch ? [] : [index + 1]));
  return series;
}

/** A series is superseded by a newer revision of the same author with the same title (cover or patch 1's). */
function markSuperseded<T extends SeriesMessage>(all: Array<PatchSeries<T>>): void {
  const sameSeries = (series: PatchSeries<T>) =>
    `${(series.author?.address ?? '').toLowerCase()}\n${titleKey(series.title)}`;
  const newest = new Map<string, PatchSeries<T>>();
  for (const series of all) {
    const known = newest.get(sameSeries(series));
    if (!known || known.version < series.version) newest.set(sameSeries(series), series);
  }
  for (const series of all) {
    const latest = newest.get(sameSeries(series))!;
    if (latest.version > series.version) series.supersededBy = { key: latest.key, version: latest.version };
  }
}

function titleKey(title: string): string {
  return title.toLowerCase().replace(/\s+/g, ' ').trim();
}
