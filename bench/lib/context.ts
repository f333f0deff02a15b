// What every benchmark case gets from the runner: one private Dovecot, a scratch directory, the bundled
// engines, the round count and which peer tools this machine has.
import type { DovecotServer } from '../../test/servers/dovecot';
import type { Engine } from './engines';
import type { CaseResult } from './report';

/** Peer tools by Debian package; a missing one makes its comparisons "skipped", never dropped silently. */
export type PeerPackage = 'isync' | 'fetchmail' | 'getmail6' | 'curl' | 'python3';

export interface BenchContext {
  server: DovecotServer;
  rounds: number;
  work: string;
  engines: Record<Engine, string>;
  has(tool: PeerPackage): boolean;
  progress(line: string): void;
}

export interface BenchCase {
  id: string;
  run(context: BenchContext): Promise<CaseResult[]>;
}
