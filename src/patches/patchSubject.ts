// What a patch mail's subject says, as `git format-patch` and `git send-email` write it and as b4 and patchwork
// read it: "[PATCH v2 1/3] title", "[RFC PATCH net-next v3 0/5] cover", "[PATCHv2 01/12]", "[PATCH 2/3 v2]",
// "[PATCH RESEND] title", with a mailing list's own "[list]" tag before it. A reply ("Re: [PATCH ...]") is a
// review, not a patch. VS Code-free.

export interface PatchSubject {
  /** The series' revision: v2 is 2; a first version says none and is 1. */
  version: number;
  /** Which patch of the series: 0 for the cover letter, 1 for a lone patch. */
  index: number;
  /** How many patches the series has (not counting the cover letter); 1 for a lone patch. */
  total: number;
  /** A request for comments, not for merging. */
  rfc: boolean;
  /** Other words in the bracket: a subsystem or tree ("net-next"), RESEND. */
  tags: string[];
  /** The subject after the bracket: the commit's title, or the cover letter's. */
  title: string;
}

/** Any bracket that says PATCH (or RFC with a count, as some lists write it). */
const BRACKET = /\[([^\]]*\b(?:PATCH|RFC)[^\]]*)\]/i;
const REPLY = /^\s*(?:(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:\s*)+/i;

/** The patch a subject names, or undefined for anything else (a reply to a patch among them). */
export function parsePatchSubject(subject: string): PatchSubject | undefined {
  if (REPLY.test(subject)) return undefined;
  const match = BRACKET.exec(subject);
  if (!match) return undefined;
  // Only list tags ("[linux-foo]") may come before the patch's own bracket.
  const before = subject.slice(0, match.index).trim();
  if (before && !/^(\[[^\]]*\]\s*)+$/.test(before)) return undefined;
  const words = match[1]!.trim().split(/\s+/);
  let version = 1;
  let index = 1;
  let total = 1;
  let rfc = false;
  let patch = false;
  let counted = false;
  const tags: string[] = [];
  for (const word of words) {
    const glued = /^PATCH(v\d+)?$/i.exec(word);
    const numbered = /^(\d{1,4})\/(\d{1,4})$/.exec(word);
    const revision = /^v(\d{1,3})$/i.exec(word);
    if (glued) {
      patch = true;
      if (glued[1]) version = Number(glued[1].slice(1));
    } else if (/^RFC$/i.test(word)) rfc = true;
    else if (numbered) {
      index = Number(numbered[1]);
      total = Number(numbered[2]);
      counted = true;
    } else if (revision) version = Number(revision[1]);
    else tags.push(word);
  }
  // "[RFC] an idea" is a discussion; "[RFC 1/3]" is a series that left out the word PATCH.
  if ((!patch && !(rfc && counted)) || total < 1 || index > total || version < 1) return undefined;
  return { version, index, total, rfc, tags, title: subject.slice(match.index + match[0].length).trim() };
}

/** Whether a message is a patch or answers one ("Re: [PATCH v2 1/3] …"): where the patch commands are offered. */
export function aboutPatch(subject: string): boolean {
  return parsePatchSubject(subject.replace(REPLY, '')) !== undefined;
}
