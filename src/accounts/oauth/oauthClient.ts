// The two calls of the authorization code flow that are Letterbox's own: the authorization URL the browser opens,
// and the token endpoint (the code for tokens, and later a refresh token for new ones). A refresh the provider
// refuses (invalid_grant: revoked, expired, already used) means the user must sign in again, and says so.
import { MailError } from '../../mail/mailError';
import { checkEndpoint, type OAuthProvider, type TokenSet } from './oauthProvider';

/** POSTs a form and returns the status and the JSON answer (tests hand in their own). */
export type FormPoster = (url: string, form: Record<string, string>) => Promise<{ status: number; body: unknown }>;

export const postForm: FormPoster = async (url, form) => {
  const response = await fetch(checkEndpoint(url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    redirect: 'error',
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
};

export function authorizationUrl(
  provider: OAuthProvider,
  request: { redirectUri: string; state: string; challenge: string; loginHint?: string },
): string {
  const url = checkEndpoint(provider.authorizeUrl);
  const params = {
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: request.redirectUri,
    scope: provider.scopes.join(' '),
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
    ...(request.loginHint ? { login_hint: request.loginHint } : {}),
    ...provider.extraAuthorizeParams,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

export async function exchangeCode(
  provider: OAuthProvider,
  grant: { code: string; verifier: string; redirectUri: string },
  post: FormPoster = postForm,
  now = Date.now,
): Promise<TokenSet> {
  return tokens(
    provider,
    {
      grant_type: 'authorization_code',
      code: grant.code,
      code_verifier: grant.verifier,
      redirect_uri: grant.redirectUri,
    },
    post,
    now,
  );
}

export async function refreshTokens(
  provider: OAuthProvider,
  refreshToken: string,
  post: FormPoster = postForm,
  now = Date.now,
): Promise<TokenSet> {
  const renewed = await tokens(provider, { grant_type: 'refresh_token', refresh_token: refreshToken }, post, now);
  // A provider that does not rotate refresh tokens keeps the old one working.
  return { ...renewed, refreshToken: renewed.refreshToken ?? refreshToken };
}

async function tokens(
  provider: OAuthProvider,
  grant: Record<string, string>,
  post: FormPoster,
  now: () => number,
): Promise<TokenSet> {
  let answer: { status: number; body: unknown };
  try {
    answer = await post(provider.tokenUrl, {
      ...grant,
      client_id: provider.clientId,
      ...(provider.clientSecret ? { client_secret: provider.clientSecret } : {}),
    });
  } catch (error) {
    throw new MailError('network', `cannot reach ${provider.name}'s sign-in service: ${reasonOf(error)}`);
  }
  const body = (answer.body ?? {}) as Record<string, unknown>;
  if (answer.status !== 200 || typeof body.access_token !== 'string') {
    const code = typeof body.error === 'string' ? body.error : `HTTP ${answer.status}`;
    if (code === 'invalid_grant')
      throw new MailError('auth', `${provider.name} no longer accepts this sign-in (${code}): sign in again`);
    throw new MailError('auth', `${provider.name}'s sign-in service refused (${code})`);
  }
  const seconds = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600);
  return {
    accessToken: body.access_token,
    expiresAt: now() + Math.max(0, (Number.isFinite(seconds) ? seconds : 3600) - 60) * 1000,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
  };
}

/** fetch says only "fetch failed"; what failed (a name not found, a certificate refused) is in its cause. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
}
