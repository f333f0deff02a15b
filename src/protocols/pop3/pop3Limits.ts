// How long and how much a POP3 server may take: per-command deadlines, and bounds on what a reply may hold, so a
// server that trickles, stalls or never stops answers within limits, never with unbounded time or memory.

export interface Pop3Timeouts {
  /** TCP connect, TLS handshake and greeting. */
  connectMs: number;
  /** Silence while a reply is awaited. */
  replyMs: number;
  /**
   * Each reply's overall deadline, from when it is next in line; a server that trickles a byte now and then cannot
   * hold a command open forever. A RETR gets more time for a large message (see minBytesPerSecond).
   */
  commandMs: number;
  /** The slowest transfer a RETR deadline allows for: a 50 MB message at 32 KB/s gets about 26 minutes. */
  minBytesPerSecond: number;
}

export const DEFAULT_POP3_TIMEOUTS: Pop3Timeouts = {
  connectMs: 15_000,
  replyMs: 60_000,
  commandMs: 120_000,
  minBytesPerSecond: 32 * 1024,
};

/**
 * How much a collected multi-line reply (CAPA, LIST, UIDL, TOP) may hold. A mailbox of 200,000 messages lists in
 * about 8 MB; a server that sends more is broken or hostile, and memory stays bounded.
 */
export const MAX_LISTING_BYTES = 32 * 1024 * 1024;
/** A message may be this much larger than LIST said (servers count line ends differently) before RETR is cut. */
export function retrLimit(listedSize: number): number {
  return Math.ceil(listedSize * 1.1) + 64 * 1024;
}

export function duration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;
}
