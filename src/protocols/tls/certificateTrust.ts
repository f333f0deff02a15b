// protocols/tls: one place decides whether a server's certificate is trusted, for IMAP and POP3 alike.
// Normal CA validation first; when it fails, only a certificate whose SHA-256 fingerprint the user pinned for this
// account is accepted. There is deliberately no "ignore certificate errors" switch.
import { isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { MailError, type UntrustedCertificate } from '../../mail/mailError';

export interface TrustPolicy {
  host: string;
  pinnedSha256?: string;
}

/** "ab:cd..." or "ABCD..." in, "AB:CD:..." out, so pins compare equal however they were pasted. */
export function normalizeFingerprint(value: string): string {
  const hex = value.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.match(/.{1,2}/g)?.join(':') ?? '';
}

const REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'it chains to a self-signed certificate authority that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is unknown',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another host name',
};

export function describeAuthorizationError(code: string | Error | null | undefined): string {
  const key = typeof code === 'string' ? code : (code?.message ?? 'unknown');
  return REASONS[key] ?? `verification failed (${key})`;
}

/**
 * Decides about a finished handshake. Returns undefined when the peer is trusted, else the MailError to fail with.
 * Must run before a single protocol byte is exchanged, so that no password ever reaches an untrusted server.
 */
export function checkPeer(socket: TLSSocket, policy: TrustPolicy): MailError | undefined {
  if (socket.authorized) return undefined;
  const peer = socket.getPeerX509Certificate();
  if (!peer) {
    return new MailError('tls', `${policy.host} presented no certificate; the connection was closed.`);
  }
  const certificate: UntrustedCertificate = {
    host: policy.host,
    sha256: peer.fingerprint256,
    subject: peer.subject.replace(/\n/g, ', '),
    issuer: peer.issuer.replace(/\n/g, ', '),
    validTo: peer.validTo,
    reason: describeAuthorizationError(socket.authorizationError),
  };
  if (policy.pinnedSha256 && normalizeFingerprint(policy.pinnedSha256) === normalizeFingerprint(peer.fingerprint256)) {
    return undefined;
  }
  const pinNote = policy.pinnedSha256
    ? ' It is not the certificate pinned for this account either.'
    : " If you know this certificate is the server's own, trust it for this account by its fingerprint.";
  return new MailError(
    'tls',
    `The certificate of ${policy.host} is not trusted: ${certificate.reason}. SHA-256 fingerprint ${certificate.sha256}.${pinNote}`,
    { certificate },
  );
}

export interface SecureConnectTarget {
  host: string;
  port?: number;
  /** An established clear-text socket to upgrade (STARTTLS/STLS); absent for implicit TLS. */
  socket?: Duplex;
}

/**
 * Opens (or upgrades to) TLS and calls `onTrusted` only once the certificate passed `checkPeer`. An untrusted peer
 * is destroyed with the MailError, which surfaces as the socket's 'error' event.
 */
export function connectTrusted(target: SecureConnectTarget, policy: TrustPolicy, onTrusted: () => void): TLSSocket {
  const options: ConnectionOptions = {
    host: target.host,
    port: target.port,
    socket: target.socket,
    // SNI is only for names, never for IP literals (RFC 6066 section 3).
    servername: isIP(target.host) ? undefined : target.host,
    minVersion: 'TLSv1.2',
    // Validation still runs and sets socket.authorized; checkPeer decides, so that a pinned certificate can pass.
    rejectUnauthorized: false,
  };
  const socket = tlsConnect(options);
  socket.once('secureConnect', () => {
    const failure = checkPeer(socket, policy);
    if (failure) {
      socket.destroy(failure);
      return;
    }
    onTrusted();
  });
  return socket;
}
