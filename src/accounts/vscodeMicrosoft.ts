// Whether to sign in to Microsoft with VS Code's own Microsoft sign-in (the built-in `microsoft` authentication
// provider), and the part of its API that oauth/vscodeSessions.ts uses. Letterbox asks it only in Microsoft's
// desktop builds, where it is sure to be there; elsewhere (VSCodium, code-server, the web) it uses its own sign-in
// page, as it does when the provider turns out to be missing ("no authentication provider").
import * as vscode from 'vscode';
import type { SessionApi } from './oauth/vscodeSessions';

/** The URI schemes of Microsoft's builds of VS Code. */
const MICROSOFT_BUILDS = ['vscode', 'vscode-insiders', 'vscode-exploration', 'vscode-wsl'];

/** VS Code's authentication API where its Microsoft sign-in is expected to work; undefined elsewhere. */
export function builtInMicrosoftSignIn(): SessionApi | undefined {
  if (vscode.env.appHost !== 'desktop' || !MICROSOFT_BUILDS.includes(vscode.env.uriScheme)) return undefined;
  // getAccounts and the account option came with VS Code 1.93; older hosts sign in with the default account.
  const auth = vscode.authentication as typeof vscode.authentication & {
    getAccounts?(providerId: string): Thenable<readonly { id: string; label: string }[]>;
  };
  return {
    getSession: (providerId, scopes, options) => auth.getSession(providerId, scopes, options),
    ...(auth.getAccounts ? { getAccounts: (providerId: string) => auth.getAccounts!(providerId) } : {}),
  };
}
