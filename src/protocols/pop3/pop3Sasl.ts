// SASL mechanisms for POP3 AUTH (RFC 5034): PLAIN for passwords; for OAuth2 access tokens OAUTHBEARER (RFC 7628)
// where offered, else XOAUTH2 (Google's and Microsoft's older form of the same).

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

/** RFC 7628 section 3.1: a GS2 header naming the user, then key=value pairs separated by ^A. */
export function oauthBearerMechanism(user: string, host: string, port: number, token: string): SaslMechanism {
  return {
    name: 'OAUTHBEARER',
    initialResponse: () =>
      Buffer.from(
        `n,a=${user.replace(/=/g, '=3D').replace(/,/g, '=2C')},\x01host=${host}\x01port=${port}\x01auth=Bearer ${token}\x01\x01`,
        'utf8',
      ).toString('base64'),
  };
}

/** XOAUTH2: user=...^Aauth=Bearer ...^A^A. */
export function xoauth2Mechanism(user: string, token: string): SaslMechanism {
  return {
    name: 'XOAUTH2',
    initialResponse: () => Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`, 'utf8').toString('base64'),
  };
}

/**
 * The mechanism to sign in with, from what the server offers (its SASL capability, upper case): with a token,
 * OAUTHBEARER before XOAUTH2, none otherwise; with a password, PLAIN, or undefined for USER/PASS.
 */
export function chooseMechanism(
  offered: ReadonlySet<string>,
  server: { user: string; host: string; port: number },
  credentials: { password?: string; accessToken?: string },
): SaslMechanism | 'userPass' | 'noOAuth' {
  const { user, host, port } = server;
  const token = credentials.accessToken;
  if (token !== undefined) {
    if (offered.has('OAUTHBEARER')) return oauthBearerMechanism(user, host, port, token);
    if (offered.has('XOAUTH2')) return xoauth2Mechanism(user, token);
    return 'noOAuth';
  }
  return offered.has('PLAIN') ? plainMechanism(user, credentials.password ?? '') : 'userPass';
}
