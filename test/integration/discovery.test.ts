// Finding settings over real HTTPS and TLS on loopback (no test touches a non-loopback address): the autoconfig
// of "example.test" served by an HTTPS server whose certificate a test authority issued, DNS answered by a fake
// resolver, the guess step probing a real TLS greeting. A server whose certificate is for another name counts as
// nothing; a redirect is not followed; a huge answer is not read.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { discover, type DiscoveryNet } from '../../src/accounts/discovery/discovery';
import { nodeNet } from '../../src/accounts/discovery/nodeNet';
import { issueCertificate, makeCertificateAuthority, type TestAuthority } from '../servers/certificate';
import { listenOnLoopback } from '../servers/ports';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1"><emailProvider id="example.test">
  <displayName>Example Test Mail</displayName>
  <incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
  <incomingServer type="pop3"><hostname>pop.example.test</hostname><port>995</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
</emailProvider></clientConfig>`;

let dir: string;
let authority: TestAuthority;
let https: Server;
let httpsPort = 0;
let greeter: TlsServer;
let greeterPort = 0;
/** Path -> answer, per Host header; what the HTTPS server was asked. */
const pages = new Map<string, { status: number; body: string; location?: string }>();
const asked: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'letterbox-discovery-'));
  authority = makeCertificateAuthority(dir);
  const site = issueCertificate(authority, 'site', [
    'autoconfig.example.test',
    'example.test',
    'autoconfig.other.test',
    'ispdb.example.test',
  ]);
  https = createServer({ cert: site.pem, key: readFileSync(site.keyPath) }, (request, response) => {
    const key = `${request.headers.host}${request.url?.replace(/\?.*$/, '')}`;
    asked.push(key);
    const page = pages.get(key);
    if (!page) return void response.writeHead(404).end('not here');
    response.writeHead(page.status, page.location ? { location: page.location } : {}).end(page.body);
  });
  httpsPort = await listenOnLoopback(https);
  const mail = issueCertificate(authority, 'mail', ['mail.example.test']);
  greeter = createTlsServer({ cert: mail.pem, key: readFileSync(mail.keyPath) }, (socket) => {
    socket.on('error', () => undefined);
    socket.end('* OK IMAP4rev1 ready\r\n');
  });
  greeterPort = await listenOnLoopback(greeter);
});
after(() => {
  https?.close();
  greeter?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real network code, with names routed to loopback and DNS answered from a table. */
function net(mx: Record<string, string[]> = {}): DiscoveryNet {
  return nodeNet({
    ca: [authority.pem],
    route: (host, port) => {
      if (host.endsWith('.test') && port === 443) return { address: '127.0.0.1', port: httpsPort };
      if (host === 'mail.example.test' && port === 993) return { address: '127.0.0.1', port: greeterPort };
      // Every other name of the test domain leads nowhere (a closed port on loopback), never to the internet.
      if (host.endsWith('.test')) return { address: '127.0.0.1', port: 9 };
      return undefined;
    },
    dns: { mx: async (domain) => mx[domain] ?? [], srv: async () => [] },
  });
}

describe('Finding settings over HTTPS on loopback', () => {
  test("the domain's autoconfig over HTTPS, its certificate checked", async () => {
    pages.clear();
    pages.set('autoconfig.example.test/mail/config-v1.1.xml', { status: 200, body: XML });
    const found = await discover('ann@example.test', { net: net(), ispdb: 'https://ispdb.example.test/v1.1/' });
    assert.equal(found?.source, 'provider');
    assert.equal(found?.provider, 'Example Test Mail');
    assert.deepEqual(
      found?.servers.map((server) => `${server.protocol} ${server.host}:${server.port} ${server.user}`),
      ['imap imap.example.test:993 ann@example.test', 'pop3 pop.example.test:995 ann@example.test'],
    );
  });

  test('a redirect is not followed and broken XML is skipped: the next step answers', async () => {
    pages.clear();
    asked.length = 0;
    pages.set('autoconfig.example.test/mail/config-v1.1.xml', {
      status: 302,
      body: '',
      location: 'https://autoconfig.other.test/mail/config-v1.1.xml',
    });
    pages.set('autoconfig.other.test/mail/config-v1.1.xml', { status: 200, body: XML });
    pages.set('example.test/.well-known/autoconfig/mail/config-v1.1.xml', {
      status: 200,
      body: '<clientConfig><emailP',
    });
    pages.set('ispdb.example.test/v1.1/example.test', {
      status: 200,
      body: XML.replace('Example Test Mail', 'From the database'),
    });
    const found = await discover('ann@example.test', { net: net(), ispdb: 'https://ispdb.example.test/v1.1/' });
    assert.equal(found?.source, 'ispdb');
    assert.equal(found?.provider, 'From the database');
    assert.ok(!asked.includes('autoconfig.other.test/mail/config-v1.1.xml'), 'the redirect was not followed');
  });

  test('a server whose certificate is for another name is not believed', async () => {
    pages.clear();
    pages.set('autoconfig.example.test/mail/config-v1.1.xml', { status: 200, body: XML });
    const wrongName = nodeNet({
      ca: [authority.pem],
      // autoconfig.example.test answered by the server of mail.example.test (whose certificate names only that).
      route: (host) => (host.endsWith('.test') ? { address: '127.0.0.1', port: greeterPort } : undefined),
      dns: { mx: async () => [], srv: async () => [] },
    });
    assert.equal(
      await wrongName.fetchText('https://autoconfig.example.test/mail/config-v1.1.xml', new AbortController().signal),
      undefined,
    );
  });

  test('last, common names that really greet over TLS', async () => {
    pages.clear();
    const found = await discover('ann@example.test', { net: net(), ispdb: 'https://ispdb.example.test/v1.1/' });
    assert.equal(found?.source, 'guess');
    assert.deepEqual(
      found?.servers.map((server) => `${server.protocol} ${server.host}:${server.port}`),
      ['imap mail.example.test:993'],
    );
  });
});
