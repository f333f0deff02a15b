// SASL mechanisms for POP3 AUTH (RFC 5034). PLAIN now; XOAUTH2 has the same one-step shape with a token.

export interface SaslMechanism {
  readonly name: string;
  /** Sent with the AUTH command (RFC 4959-style initial response), base64. */
  initialResponse(): string;
}

/** RFC 4616: authzid NUL authcid NUL password, base64. */
export function plainMechanism(user: string, password: string): SaslMechanism {
  return {
    name: 'PLAIN',
    initialResponse: () => Buffer.from(`\0${user}\0${password}`, 'utf8').toString('base64'),
  };
}

/** Google/Microsoft XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A, base64. */
export function xoauth2Mechanism(user: string, accessToken: string): SaslMechanism {
  return {
    name: 'XOAUTH2',
    initialResponse: () => Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64'),
  };
}
