// Review trailers from the replies to a series, collected into its patches as b4 does: "Reviewed-by:",
// "Acked-by:", "Tested-by:" (and Reported-by, Suggested-by) on a line of a reply's own text, not in what it
// quotes. A reply to the cover letter counts for every patch, a reply to a patch for that patch. VS Code-free.
import type { PatchSeries } from './patchSeries';

export interface Trailer {
  name: string;
  /** "Name <address>" as the reviewer wrote it. */
  value: string;
}

const NAMES = ['Reviewed-by', 'Acked-by', 'Tested-by', 'Reported-by', 'Suggested-by'];
const TRAILER = new RegExp(`^(${NAMES.join('|')})\\s*:\\s*(.+?)\\s*$`, 'i');
/** Someone, with an address: "Ann Example <ann@example.org>". */
const PERSON = /^[^<>\n]*<[^<>\s@]+@[^<>\s@]+>$/;

/** The review trailers in a message's own text (quoted lines, "> Reviewed-by: ...", are someone else's). */
export function reviewTrailers(text: string): Trailer[] {
  const found: Trailer[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*>/.test(line)) continue;
    const match = TRAILER.exec(line.trim());
    if (!match || !PERSON.test(match[2]!)) continue;
    const name = NAMES.find((known) => known.toLowerCase() === match[1]!.toLowerCase())!;
    if (!found.some((trailer) => trailer.name === name && trailer.value === match[2]))
      found.push({ name, value: match[2]! });
  }
  return found;
}

/** Each patch's collected trailers (index i - 1 for patch i), in the order the replies came. */
export function seriesTrailers<T>(series: PatchSeries<T>, textOf: (message: T) => string | undefined): Trailer[][] {
  const perPatch: Trailer[][] = series.patches.map(() => []);
  for (const reply of series.replies) {
    const trailers = reviewTrailers(textOf(reply.message) ?? '');
    const targets = reply.answers === 'cover' ? perPatch.map((_, index) => index) : [reply.answers - 1];
    for (const index of targets) {
      const list = perPatch[index];
      if (!list) continue;
      for (const trailer of trailers)
        if (!list.some((known) => known.name === trailer.name && known.value === trailer.value)) list.push(trailer);
    }
  }
  return perPatch;
}
