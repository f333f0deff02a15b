// A throwaway self-signed certificate for the test servers, made with the system's openssl so no key material is
// ever committed. Its SHA-256 fingerprint is what tests pin, which exercises the product's own trust path.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  certPath: string;
  keyPath: string;
  pem: string;
  /** Colon-separated upper-case hex, as Node's X509Certificate.fingerprint256 prints it. */
  sha256: string;
}

/** A self-signed certificate valid for two days, with these extensions, written to certPath and keyPath. */
function selfSigned(subject: string, extensions: string[], certPath: string, keyPath: string): void {
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', subject],
      ...extensions.flatMap((extension) => ['-addext', extension]),
      ...['-keyout', keyPath, '-out', certPath],
    ],
    { stdio: 'pipe' },
  );
}

export function makeSelfSignedCertificate(dir: string, commonName = 'letterbox-test.invalid'): TestCertificate {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  selfSigned(`/CN=${commonName}`, [`subjectAltName=DNS:${commonName}`], certPath, keyPath);
  const pem = readFileSync(certPath, 'utf8');
  return { certPath, keyPath, pem, sha256: new X509Certificate(pem).fingerprint256 };
}

export interface TestAuthority {
  certPath: string;
  keyPath: string;
  pem: string;
  dir: string;
}

/** A throwaway certificate authority, so a test server's certificate passes the normal checks (name, chain). */
export function makeCertificateAuthority(dir: string): TestAuthority {
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca-key.pem');
  selfSigned(
    '/CN=Letterbox Test CA',
    ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
    certPath,
    keyPath,
  );
  return { certPath, keyPath, pem: readFileSync(certPath, 'utf8'), dir };
}

/** A server certificate for these host names (or IP addresses), signed by the test authority. */
export function issueCertificate(authority: TestAuthority, name: string, hosts: string[]): TestCertificate {
  const keyPath = join(authority.dir, `${name}-key.pem`);
  const requestPath = join(authority.dir, `${name}.csr`);
  const certPath = join(authority.dir, `${name}.pem`);
  const extensions = join(authority.dir, `${name}.ext`);
  const names = hosts.map((host) => (/^[\d.]+$|:/.test(host) ? `IP:${host}` : `DNS:${host}`));
  writeFileSync(extensions, `subjectAltName=${names.join(',')}\n`);
  execFileSync(
    'openssl',
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-subj',
      `/CN=${hosts[0]}`,
      '-keyout',
      keyPath,
      '-out',
      requestPath,
    ],
    { stdio: 'pipe' },
  );
  execFileSync(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      requestPath,
      '-CA',
      authority.certPath,
      '-CAkey',
      authority.keyPath,
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      extensions,
      '-out',
      certPath,
    ],
    { stdio: 'pipe' },
  );
  const pem = readFileSync(certPath, 'utf8');
  return { certPath, keyPath, pem, sha256: new X509Certificate(pem).fingerprint256 };
}
