// The network the settings lookup uses (discovery.ts), on Node's own modules: HTTPS GETs that follow no redirect
// and read at most 256 KB, DNS MX and SRV queries, and a probe that waits for a mail server's greeting over
// implicit TLS with the certificate checked. Tests hand in a CA and where names resolve (loopback), never a switch
// that turns checks off.
import { resolveMx, resolveSrv } from 'node:dns/promises';
import { request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { DiscoveryNet, SrvRecord } from './discovery';
import type { FoundServer } from './foundConfig';

const MAX_BODY = 256 * 1024;

export interface NodeNetOptions {
  /** Certificates to trust instead of the built-in authorities (tests: their own CA). */
  ca?: string[];
  /** Where a host name resolves, and on which port, instead of DNS and the standard port (tests: loopback). */
  route?(host: string, port: number): { address: string; port: number } | undefined;
  /** DNS answers instead of the system's (tests). */
  dns?: Pick<DiscoveryNet, 'mx' | 'srv'>;
}

export function nodeNet(options: NodeNetOptions = {}): DiscoveryNet {
  return {
    fetchText: (url, signal) =>
      new Promise((resolve) => {
        let target: URL;
        try {
          target = new URL(url);
        } catch {
          resolve(undefined);
          return;
        }
        if (target.protocol !== 'https:') {
          resolve(undefined);
          return;
        }
        const routed = options.route?.(target.hostname, 443);
        const req = request(
          {
            // Routed (tests): connect there, but name, and check the certificate of, the host asked.
            host: routed?.address ?? target.hostname,
            servername: target.hostname,
            port: routed?.port ?? 443,
            path: `${target.pathname}${target.search}`,
            method: 'GET',
            headers: { host: target.hostname, accept: 'application/xml, text/xml', 'user-agent': 'Letterbox' },
            ca: options.ca,
            signal,
          },
          (response) => {
            // A redirect could lead to any host: the answer has to come from the host asked.
            if (response.statusCode !== 200) {
              response.resume();
              resolve(undefined);
              return;
            }
            const chunks: Buffer[] = [];
            let size = 0;
            response.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > MAX_BODY) {
                req.destroy();
                resolve(undefined);
                return;
              }
              chunks.push(chunk);
            });
            response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
            response.on('error', () => resolve(undefined));
          },
        );
        req.on('error', () => resolve(undefined));
        req.end();
      }),
    mx: async (domain) => {
      if (options.dns) return options.dns.mx(domain);
      try {
        return (await resolveMx(domain)).sort((a, b) => a.priority - b.priority).map((record) => record.exchange);
      } catch {
        return [];
      }
    },
    srv: async (name): Promise<SrvRecord[]> => {
      if (options.dns) return options.dns.srv(name);
      try {
        return await resolveSrv(name);
      } catch {
        return [];
      }
    },
    probe: (server, signal) => probe(server, signal, options),
  };
}

/** A greeting ("* OK" for IMAP, "+OK" for POP3) over implicit TLS, the certificate checked for the host name. */
function probe(
  server: Pick<FoundServer, 'protocol' | 'host' | 'port' | 'security'>,
  signal: AbortSignal,
  options: NodeNetOptions,
): Promise<boolean> {
  if (server.security !== 'tls') return Promise.resolve(false);
  return new Promise((resolve) => {
    const routed = options.route?.(server.host, server.port);
    const socket = tlsConnect({
      host: routed?.address ?? server.host,
      port: routed?.port ?? server.port,
      servername: server.host,
      ca: options.ca,
    });
    const done = (answer: boolean) => {
      signal.removeEventListener('abort', abort);
      socket.destroy();
      resolve(answer);
    };
    const abort = () => done(false);
    signal.addEventListener('abort', abort, { once: true });
    socket.setTimeout(5_000, () => done(false));
    let greeting = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      greeting += chunk;
      if (greeting.includes('\n'))
        done(server.protocol === 'imap' ? /^\* OK/i.test(greeting) : /^\+OK/i.test(greeting));
    });
    socket.on('error', () => done(false));
  });
}
