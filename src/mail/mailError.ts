// Every backend failure reaches the edges as a MailError whose message says what could not be done and why,
// and whose kind lets the UI offer the right way forward (re-enter a password, trust a certificate, retry).

/**
 * - auth: the server rejected the credentials; tls: the secure connection failed or is not trusted;
 * - network: the server could not be reached, or the connection was lost;
 * - protocol: the server refused a command or broke the protocol;
 * - notFound: a message or folder is no longer there; unsupported: the server lacks something needed;
 * - storage: the local store (POP3 Maildir, caches) could not be read or written (a full disk, a permission);
 * - stale: a folder was rebuilt on the server (IMAP UIDVALIDITY changed), so what is shown no longer matches it;
 * - internal: Letterbox itself failed (a bug): neither the server nor the user is to blame, and it should be reported.
 */
export type MailErrorKind =
  'auth' | 'tls' | 'network' | 'protocol' | 'notFound' | 'unsupported' | 'storage' | 'stale' | 'internal';

export const MAIL_ERROR_KINDS: readonly MailErrorKind[] = [
  'auth',
  'tls',
  'network',
  'protocol',
  'notFound',
  'unsupported',
  'storage',
  'stale',
  'internal',
];

/** What the user needs to decide whether to trust a certificate that no authority vouches for. */
export interface UntrustedCertificate {
  host: string;
  /** Colon-separated upper-case hex SHA-256 of the DER certificate. */
  sha256: string;
  subject?: string;
  issuer?: string;
  validTo?: string;
  /** Why the normal check failed, in words ("self-signed", "issued for another name"). */
  reason: string;
}

export class MailError extends Error {
  override readonly name = 'MailError';

  constructor(
    readonly kind: MailErrorKind,
    message: string,
    options: { cause?: unknown; certificate?: UntrustedCertificate; signIn?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.certificate = options.certificate;
    this.signIn = options.signIn ?? false;
  }

  readonly certificate: UntrustedCertificate | undefined;
  /** An auth failure of an account that signs in with its provider's page (OAuth2): the way forward is to sign in. */
  readonly signIn: boolean;

  /** Prefixes the action that failed ("cannot select folder Archive: ...") while keeping kind and details. */
  withContext(action: string): MailError {
    const wrapped = new MailError(this.kind, `${action}: ${this.message}`, {
      cause: this,
      certificate: this.certificate,
      signIn: this.signIn,
    });
    return wrapped;
  }
}

export function isMailError(error: unknown): error is MailError {
  return error instanceof MailError;
}

/**
 * What an edge makes of anything thrown. A MailError keeps its kind; anything else was thrown by Letterbox's own
 * code (a TypeError, a failed assumption) and is an internal error: labelling it `protocol` would tell the user the
 * server refused, so they would blame the server and the bug would never be reported.
 */
export function asMailError(error: unknown, doing: string): MailError {
  if (error instanceof MailError) return error;
  return internalError(error, doing);
}

export function internalError(error: unknown, doing: string): MailError {
  const reason = error instanceof Error ? error.message : String(error);
  return new MailError(
    'internal',
    `Letterbox failed while ${doing} (${reason}). This is a bug in Letterbox, not a problem with your server: Show Log has the details, and Report Issue sends them to us`,
    { cause: error },
  );
}

/** Errors that only a mistake in code throws (not a server, a socket or a disk). */
export function isProgrammingError(error: unknown): boolean {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== undefined) return false;
  return (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError ||
    error.name === 'AssertionError'
  );
}
