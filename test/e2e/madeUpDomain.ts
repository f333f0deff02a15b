// A made-up mail domain that exists only on loopback, for adding an account by its address alone (e2e 16, 17): its
// autoconfig over HTTPS at autoconfig.<domain> with a certificate of a test authority, naming the IMAP server
// imap.<domain> (OAuth2), the POP3 server pop.<domain> (a password) and the fake provider's sign-in at
// login.<domain> (over HTTPS too). code-server's extension host reaches those names and trusts the authority
// through the loopbackNames helper extension, the browser through a host rule; Letterbox's own code asks and
// checks as on the internet.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeAuthServer } from '../servers/fakeAuthServer';
import { issueCertificate, makeCertificateAuthority } from '../servers/certificate';
import { listenOnLoopback } from '../servers/ports';
import { packHelperExtension } from './helperExtension';

export interface MadeUpDomain {
  domain: string;
  /** The provider's issuer, as the autoconfig names it (the key of letterbox.oauth.clients). */
  issuer: string;
  /** Where the provider's sign-in page is. */
  loginOrigin: string;
  /** For code-server's environment. */
  env: Record<string, string>;
  /** For the browser (Chromium's --host-resolver-rules): the sign-in page's name on loopback. */
  browserHostRules: string;
  /** The helper extension's VSIX. */
  helper: string;
  /** Paths the autoconfig server was asked for. */
  asked: string[];
  stop(): Promise<void>;
}

export async function startMadeUpDomain(
  domain: string,
  ports: { imaps: number; pop3s: number },
  auth: FakeAuthServer,
): Promise<MadeUpDomain> {
  const dir = mkdtempSync(join(tmpdir(), 'letterbox-domain-'));
  const authority = makeCertificateAuthority(dir);
  const site = issueCertificate(authority, 'autoconfig', [`autoconfig.${domain}`]);
  const issuer = `login.${domain}`;
  // A name, not 127.0.0.1: code-server would take a loopback address for a port to forward through its proxy.
  const loginPort = new URL(await auth.listenTls(issueCertificate(authority, 'login', [issuer]))).port;
  const loginOrigin = `https://${issuer}:${loginPort}`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="${domain}">
    <domain>${domain}</domain>
    <displayName>Made-up Mail</displayName>
    <incomingServer type="imap">
      <hostname>imap.${domain}</hostname><port>${ports.imaps}</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username><authentication>OAuth2</authentication>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.${domain}</hostname><port>${ports.pop3s}</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication>
    </incomingServer>
  </emailProvider>
  <oAuth2>
    <issuer>${issuer}</issuer><scope>mail offline_access</scope>
    <authURL>${loginOrigin}/authorize</authURL><tokenURL>${loginOrigin}/token</tokenURL>
  </oAuth2>
</clientConfig>`;
  const asked: string[] = [];
  const server = createServer({ cert: site.pem, key: readFileSync(site.keyPath) }, (request, response) => {
    const path = (request.url ?? '').replace(/\?.*$/, '');
    asked.push(path);
    if (path !== '/mail/config-v1.1.xml') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/xml' }).end(xml);
  });
  const port = await listenOnLoopback(server);
  return {
    domain,
    issuer,
    loginOrigin,
    env: {
      LETTERBOX_E2E_CA: authority.certPath,
      LETTERBOX_E2E_NAMES: JSON.stringify({
        [`autoconfig.${domain}`]: { 443: port },
        [`imap.${domain}`]: {},
        [`pop.${domain}`]: {},
        [issuer]: {},
      }),
    },
    browserHostRules: `MAP ${issuer} 127.0.0.1`,
    helper: packHelperExtension('loopbackNames'),
    asked,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
