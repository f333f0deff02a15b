// One sign-in, start to end: a PKCE pair and a state, a loopback listener, the provider's page opened in the
// user's browser, the code that comes back exchanged for tokens. The browser is the caller's (vscode.env.openExternal
// in the extension; a test's own client in tests).
import { authorizationUrl, exchangeCode, type FormPoster } from './oauthClient';
import type { OAuthProvider, TokenSet } from './oauthProvider';
import { listenForRedirect } from './loopbackRedirect';
import { pkcePair, randomState } from './pkce';

export interface SignInOptions {
  /** Opens the provider's sign-in page; false when it could not be opened. */
  openBrowser(url: string): Promise<boolean>;
  loginHint?: string;
  post?: FormPoster;
  timeoutMs?: number;
}

export async function signIn(provider: OAuthProvider, options: SignInOptions): Promise<TokenSet> {
  const pkce = pkcePair();
  const state = randomState();
  const redirect = await listenForRedirect(state, options.timeoutMs);
  try {
    const url = authorizationUrl(provider, {
      redirectUri: redirect.redirectUri,
      state,
      challenge: pkce.challenge,
      loginHint: options.loginHint,
    });
    if (!(await options.openBrowser(url))) throw new Error(`the sign-in page of ${provider.name} could not be opened`);
    const code = await redirect.code;
    return await exchangeCode(
      provider,
      { code, verifier: pkce.verifier, redirectUri: redirect.redirectUri },
      options.post,
    );
  } finally {
    redirect.close();
  }
}
