// PKCE (RFC 7636): the code verifier stays here, only its SHA-256 travels with the authorization request, so a
// code intercepted on its way back (another app on the loopback port) is useless without it.
import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkcePair(): Pkce {
  // 32 random bytes make a 43-character verifier, the shortest RFC 7636 allows and plenty of entropy.
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The `state` of an authorization request: ties the redirect to this request (RFC 6749 section 10.12). */
export function randomState(): string {
  return randomBytes(16).toString('base64url');
}
