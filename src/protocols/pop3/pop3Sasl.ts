// SASL mechanisms for POP3 AUTH (RFC 5034): PLAIN. OAuth2 (XOAUTH2, OAUTHBEARER) comes with its sign-in flow.

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
