// A TCP proxy on loopback that forwards to a real server and cuts each connection after N bytes (both directions
// counted), for fault injection where Dovecot itself would never fail.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { listenOnLoopback } from './ports';

export class CuttingProxy {
  /** Bytes to let through per connection before cutting; Infinity forwards everything. */
  cutAfter = Infinity;
  /** Bytes forwarded by the last connection, for measuring a whole session. */
  lastSessionBytes = 0;
  /** Connections cut so far: a test checks that the cut it asked for really happened. */
  cutsMade = 0;
  private readonly sockets = new Set<Socket>();

  private readonly server: Server;
  port = 0;

  private constructor(targetPort: number, targetHost: string) {
    this.server = createServer((client) => this.handle(client, targetHost, targetPort));
  }

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<CuttingProxy> {
    const proxy = new CuttingProxy(targetPort, targetHost);
    proxy.port = await listenOnLoopback(proxy.server);
    return proxy;
  }

  private handle(client: Socket, host: string, port: number): void {
    const upstream = connect(port, host);
    const budget = this.cutAfter;
    let used = 0;
    this.lastSessionBytes = 0;
    this.sockets.add(client).add(upstream);
    let wasCut = false;
    const cut = () => {
      if (!wasCut && used >= budget) this.cutsMade++;
      wasCut = true;
      client.destroy();
      upstream.destroy();
    };
    const forward = (from: Socket, to: Socket) => {
      from.on('data', (chunk: Buffer) => {
        const allowed = Math.max(0, Math.min(chunk.length, budget - used));
        used += allowed;
        this.lastSessionBytes = used;
        if (allowed > 0) to.write(chunk.subarray(0, allowed));
        if (used >= budget) cut();
      });
      from.on('close', () => to.end());
      from.on('error', cut);
    };
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', () => this.sockets.delete(client));
    upstream.on('close', () => this.sockets.delete(upstream));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
