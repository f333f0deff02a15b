// A throwaway self-signed certificate for the test servers, made with the system's openssl so no key material is
// ever committed. Its SHA-256 fingerprint is what tests pin, which exercises the product's own trust path.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  certPath: string;
  keyPath: string;
  pem: string;
  /** Colon-separated upper-case hex, as Node's X509Certificate.fingerprint256 prints it. */
  sha256: string;
}

export function makeSelfSignedCertificate(dir: string, commonName = 'letterbox-test.invalid'): TestCertificate {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      `subjectAltName=DNS:${commonName}`,
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'pipe' },
  );
  const pem = readFileSync(certPath, 'utf8');
  return { certPath, keyPath, pem, sha256: new X509Certificate(pem).fingerprint256 };
}
