// Message-IDs as threading uses them (RFC 5322 3.6.4): without angle brackets, References bounded in number.

/** The most References kept per message: the first (the thread's root) and the newest ones (the parent chain). */
const MAX_REFERENCES = 12;

/** The ids in a Message-ID, In-Reply-To or References header value, in order ("<a@x> <b@y>" -> ["a@x", "b@y"]). */
export function idsIn(value: string | undefined): string[] {
  if (!value) return [];
  const ids = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]);
  // Some clients write a bare id without brackets; take the value itself when it looks like one.
  if (!ids.length && /^[^<>\s]+@[^<>\s]+$/.test(value.trim())) return [value.trim()];
  return ids;
}

/**
 * References as kept in summaries and caches: at most MAX_REFERENCES, keeping the first and the last ones, which
 * is what threading needs (RFC 5322 3.6.4 lets clients trim the middle the same way).
 */
export function boundedReferences(ids: string[]): string[] {
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0], ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}
