// A TCP proxy on loopback in front of a real server that injects one fault when the client sends a command that
// matches: drop the command and cut, let the command through and cut before its reply, let part of the reply
// through and cut, or stall (keep the connection open and pass nothing back). Plus cutting every connection at
// once, as a dropped network does. Only for what a real server cannot be made to do.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { listenOnLoopback } from './ports';

export type FaultAction =
  /** The server never sees the command: the operation is certainly not done. */
  | { kind: 'dropCommand' }
  /** The server runs the command; its reply never arrives: the client cannot know it was done. */
  | { kind: 'cutBeforeReply' }
  /** The first `bytes` of what the server sends after the command arrive, then the cut. */
  | { kind: 'cutReplyAfter'; bytes: number }
  /** The command goes through, and nothing ever comes back. */
  | { kind: 'stall' };

export interface Fault {
  /** Tested against each chunk the client sends (IMAP commands are one line). */
  when: RegExp;
  action: FaultAction;
}

export class FaultProxy {
  /** The next fault; it fires once and is cleared. */
  fault: Fault | undefined;
  /** Faults that really fired: a test checks this, so it cannot pass with a proxy that stopped injecting. */
  readonly injected: string[] = [];
  /** New connections are cut at once, as while a network is down. */
  refuseNew = false;
  /** Every connection whose client sends a match is cut right after it goes through, for as long as this is set (a
   * firewall that kills idling connections); `cutsOn` counts those cuts. */
  cutEvery: RegExp | undefined;
  cutsOn = 0;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private readonly server: Server;
  port = 0;

  private constructor(
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {
    this.server = createServer((client) => this.handle(client));
  }

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<FaultProxy> {
    const proxy = new FaultProxy(targetPort, targetHost);
    proxy.port = await listenOnLoopback(proxy.server);
    return proxy;
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** Cuts every open connection, as a dropped network or a server restart does. Returns how many. */
  cutAll(): number {
    const count = this.pairs.size;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    if (count) this.injected.push(`cut all ${count}`);
    return count;
  }

  private handle(client: Socket): void {
    if (this.refuseNew) {
      client.destroy();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    let replyBudget: number | undefined;
    let stalled = false;
    let armed: { what: string; action: FaultAction } | undefined;
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const fault = this.fault;
      if (fault && fault.when.test(text)) {
        this.fault = undefined;
        const what = `${fault.action.kind} at ${text.trim().slice(0, 60)}`;
        if (fault.action.kind === 'dropCommand') {
          this.injected.push(what);
          cut();
          return;
        }
        armed = { what, action: fault.action };
        if (fault.action.kind === 'cutReplyAfter') replyBudget = fault.action.bytes;
        if (fault.action.kind === 'stall') {
          stalled = true;
          this.injected.push(what);
        }
      }
      upstream.write(chunk);
      if (this.cutEvery?.test(text)) {
        this.cutsOn++;
        setTimeout(cut, 50);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (stalled) return;
      if (armed?.action.kind === 'cutBeforeReply') {
        this.injected.push(armed.what);
        cut();
        return;
      }
      if (replyBudget !== undefined && armed) {
        const allowed = Math.min(chunk.length, replyBudget);
        replyBudget -= allowed;
        if (allowed) client.write(chunk.subarray(0, allowed));
        if (replyBudget <= 0) {
          this.injected.push(armed.what);
          cut();
        }
        return;
      }
      client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', cut);
      socket.on('close', () => {
        cut();
        this.pairs.delete(pair);
      });
    }
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
