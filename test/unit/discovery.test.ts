// Finding settings from an address, with DNS and HTTPS answered by a fake: each step of the order wins when the
// earlier ones have nothing; broken XML and plain-text servers are skipped; nothing is asked of a host outside the
// address's domain, its MX domains and Thunderbird's database; the deadline holds. The same over real HTTPS on
// loopback: test/integration/discovery.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAutoconfig } from '../../src/accounts/discovery/autoconfigXml';
import {
  discover,
  ISPDB,
  registeredDomain,
  type DiscoveryNet,
  type SrvRecord,
} from '../../src/accounts/discovery/discovery';

function autoconfig(servers: string, name = 'Example Mail'): string {
  return `<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="example.org">
    <domain>example.org</domain>
    <displayName>${name}</displayName>
    ${servers}
    <outgoingServer type="smtp"><hostname>smtp.example.org</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>
  </emailProvider>
</clientConfig>`;
}

const IMAPS = `<incomingServer type="imap"><hostname>imap.example.org</hostname><port>993</port><socketType>SSL</socketType>
  <username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication></incomingServer>`;

/** A fake network: URLs and DNS names answered from tables; every question recorded. */
function fakeNet(answers: {
  http?: Record<string, string>;
  mx?: Record<string, string[]>;
  srv?: Record<string, SrvRecord[]>;
  greets?: string[];
  slowMs?: number;
}): DiscoveryNet & { asked: string[] } {
  const asked: string[] = [];
  const wait = () => new Promise((resolve) => setTimeout(resolve, answers.slowMs ?? 0));
  return {
    asked,
    fetchText: async (url) => {
      asked.push(url);
      await wait();
      return answers.http?.[url.replace(/\?.*$/, '')];
    },
    mx: async (domain) => {
      asked.push(`mx ${domain}`);
      return answers.mx?.[domain] ?? [];
    },
    srv: async (name) => {
      asked.push(`srv ${name}`);
      return answers.srv?.[name] ?? [];
    },
    probe: async (server) => {
      asked.push(`probe ${server.host}:${server.port}`);
      return answers.greets?.includes(`${server.host}:${server.port}`) ?? false;
    },
  };
}

const ADDRESS = 'ann@example.org';

describe('Looking up settings from an address', () => {
  test("the domain's own autoconfig comes first, with the user name made from the address", async () => {
    const net = fakeNet({
      http: {
        'https://autoconfig.example.org/mail/config-v1.1.xml': autoconfig(IMAPS),
        [`${ISPDB}example.org`]: autoconfig(IMAPS.replace('imap.example.org', 'imap.elsewhere.example'), 'ISPDB'),
      },
    });
    const found = await discover(ADDRESS, { net });
    assert.equal(found?.source, 'provider');
    assert.equal(found?.provider, 'Example Mail');
    assert.deepEqual(found?.servers, [
      { protocol: 'imap', host: 'imap.example.org', port: 993, security: 'tls', user: 'ann', signIn: ['password'] },
    ]);
  });

  test('each later step wins when the earlier ones have nothing', async () => {
    const wellKnown = await discover(ADDRESS, {
      net: fakeNet({ http: { 'https://example.org/.well-known/autoconfig/mail/config-v1.1.xml': autoconfig(IMAPS) } }),
    });
    assert.equal(wellKnown?.source, 'wellKnown');
    const ispdb = await discover(ADDRESS, { net: fakeNet({ http: { [`${ISPDB}example.org`]: autoconfig(IMAPS) } }) });
    assert.equal(ispdb?.source, 'ispdb');
    const known = await discover('bob@gmail.com', { net: fakeNet({}) });
    assert.equal(known?.source, 'known');
    assert.equal(known?.servers[0].host, 'imap.gmail.com');
    assert.match(known?.note ?? '', /app password/);
    const microsoft = await discover(ADDRESS, {
      net: fakeNet({ mx: { 'example.org': ['example-org.mail.protection.outlook.com.'] } }),
    });
    assert.equal(microsoft?.source, 'mx');
    assert.equal(microsoft?.provider, 'Microsoft 365 / Outlook.com');
    assert.deepEqual(microsoft?.servers[0].signIn, ['oauth2']);
    const mxDomain = await discover(ADDRESS, {
      net: fakeNet({
        mx: { 'example.org': ['mx1.mailhost.example.net'] },
        http: { [`${ISPDB}example.net`]: autoconfig(IMAPS) },
      }),
    });
    assert.equal(mxDomain?.source, 'mx');
    assert.match(mxDomain?.from ?? '', /MX record of example\.org is mx1\.mailhost\.example\.net/);
    const srv = await discover(ADDRESS, {
      net: fakeNet({
        srv: {
          '_imap._tcp.example.org': [{ name: 'mail.example.org', port: 143, priority: 0, weight: 1 }],
          '_imaps._tcp.example.org': [{ name: 'mail.example.org.', port: 993, priority: 0, weight: 1 }],
          '_pop3._tcp.example.org': [{ name: '.', port: 0, priority: 0, weight: 0 }],
        },
      }),
    });
    assert.equal(srv?.source, 'srv');
    assert.deepEqual(
      srv?.servers.map((server) => `${server.protocol} ${server.host}:${server.port} ${server.security}`),
      ['imap mail.example.org:993 tls', 'imap mail.example.org:143 starttls'],
    );
    const guessed = await discover(ADDRESS, { net: fakeNet({ greets: ['mail.example.org:993'] }) });
    assert.equal(guessed?.source, 'guess');
    assert.equal(guessed?.servers[0].host, 'mail.example.org');
    assert.equal(await discover(ADDRESS, { net: fakeNet({}) }), undefined);
  });

  test('broken XML and plain-text servers are skipped; implicit TLS is proposed before STARTTLS', async () => {
    const plainOnly = autoconfig(
      `<incomingServer type="imap"><hostname>imap.example.org</hostname><port>143</port><socketType>plain</socketType></incomingServer>`,
    );
    const found = await discover(ADDRESS, {
      net: fakeNet({
        http: {
          'https://autoconfig.example.org/mail/config-v1.1.xml': '<clientConfig><emailProvider><incomingServer',
          'https://example.org/.well-known/autoconfig/mail/config-v1.1.xml': plainOnly,
          [`${ISPDB}example.org`]: autoconfig(
            IMAPS.replace('993', '143').replace('SSL', 'STARTTLS') +
              IMAPS.replace('imap.example.org', 'imaps.example.org'),
          ),
        },
      }),
    });
    assert.equal(found?.source, 'ispdb');
    assert.deepEqual(
      found?.servers.map((server) => `${server.host}:${server.port} ${server.security}`),
      ['imaps.example.org:993 tls', 'imap.example.org:143 starttls'],
    );
  });

  test("nothing is asked of a host outside the address's domain, its MX domains and the database", async () => {
    const net = fakeNet({ mx: { 'example.org': ['mx.mailhost.example.net'] } });
    await discover(ADDRESS, { net });
    const hosts = net.asked.filter((entry) => entry.startsWith('https://')).map((url) => new URL(url).hostname);
    const allowed = ['autoconfig.example.org', 'example.org', 'autoconfig.thunderbird.net', 'autoconfig.example.net'];
    assert.deepEqual(
      hosts.filter((host) => !allowed.includes(host)),
      [],
    );
    assert.ok(
      net.asked.every((entry) => !entry.startsWith('http://')),
      'never plain HTTP',
    );
    assert.ok(
      net.asked
        .filter((entry) => entry.startsWith('probe '))
        .every((entry) => /^probe [a-z]+\.example\.org:99[35]$/.test(entry)),
      'only names under the domain are tried',
    );
  });

  test('the whole lookup has one deadline', async () => {
    const started = Date.now();
    const found = await discover(ADDRESS, { net: fakeNet({ slowMs: 5_000 }), deadlineMs: 300 });
    assert.equal(found, undefined);
    assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
  });

  test('autoconfig: placeholders, OAuth2, odd entries', () => {
    const parsed = parseAutoconfig(
      autoconfig(`
        <incomingServer type="pop3"><hostname>pop.example.org</hostname><port>995</port><socketType>SSL</socketType>
          <username>%EMAILADDRESS%</username><authentication>OAuth2</authentication><authentication>password-cleartext</authentication></incomingServer>
        <incomingServer type="imap"><hostname>https://evil.example/x</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
        <incomingServer type="exchange"><hostname>ews.example.org</hostname><port>443</port><socketType>SSL</socketType></incomingServer>
        <incomingServer type="imap"><hostname>imap.example.org</hostname><port>99999</port><socketType>SSL</socketType></incomingServer>`),
      ADDRESS,
    );
    assert.deepEqual(parsed?.servers, [
      {
        protocol: 'pop3',
        host: 'pop.example.org',
        port: 995,
        security: 'tls',
        user: ADDRESS,
        signIn: ['oauth2', 'password'],
      },
    ]);
    assert.equal(parseAutoconfig('not xml at all <', ADDRESS), undefined);
    const withOAuth = parseAutoconfig(
      autoconfig(IMAPS).replace(
        '</clientConfig>',
        `<oAuth2><issuer>login.example.org</issuer><scope>mail offline_access</scope>
          <authURL>https://login.example.org/authorize</authURL><tokenURL>https://login.example.org/token</tokenURL></oAuth2></clientConfig>`,
      ),
      ADDRESS,
    );
    assert.deepEqual(withOAuth?.oauth, {
      issuer: 'login.example.org',
      authorizeUrl: 'https://login.example.org/authorize',
      tokenUrl: 'https://login.example.org/token',
      scopes: ['mail', 'offline_access'],
    });
    const plainOAuth = parseAutoconfig(
      autoconfig(IMAPS).replace(
        '</clientConfig>',
        '<oAuth2><issuer>x.example</issuer><scope>s</scope><authURL>http://x.example/a</authURL><tokenURL>https://x.example/t</tokenURL></oAuth2></clientConfig>',
      ),
      ADDRESS,
    );
    assert.equal(plainOAuth?.oauth, undefined, 'an endpoint in plain HTTP is not taken');
    assert.equal(parseAutoconfig('<html><body>404</body></html>', ADDRESS), undefined);
  });

  test('registered domains without a public suffix list', () => {
    assert.equal(registeredDomain('mx1.mailhost.example.net.'), 'example.net');
    assert.equal(registeredDomain('mx.provider.co.uk'), 'provider.co.uk');
    assert.equal(registeredDomain('localhost'), undefined);
  });
});
