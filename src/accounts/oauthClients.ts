// Which client id Letterbox signs in with at a provider: the user's own settings (an organisation's app
// registration) first, then the publisher's registration where there is one. No registration of the publisher is
// built in yet: the README says what the publisher registers before Microsoft sign-in works out of the box.
import type { FoundOAuth } from './discovery/foundConfig';
import type { OAuthClients } from './lookupStep';
import type { SettingValues } from './settingsTable';

/**
 * The publisher's Microsoft app registration (a public client; see the README's "Signing in with OAuth2"). Empty
 * until it is registered: Add Account then offers Microsoft sign-in only with `letterbox.oauth.microsoftClientId`.
 */
export const PUBLISHER_MICROSOFT_CLIENT_ID = '';

type ClientKey = 'oauth.microsoftClientId' | 'oauth.googleClientId' | 'oauth.googleClientSecret' | 'oauth.clients';
type ClientSettings = { get<K extends ClientKey>(key: K): SettingValues[K] };

export function oauthClients(settings: ClientSettings): OAuthClients {
  return (oauth: FoundOAuth) => {
    if (oauth.issuer === 'login.microsoftonline.com') {
      const clientId = settings.get('oauth.microsoftClientId') || PUBLISHER_MICROSOFT_CLIENT_ID;
      return clientId ? { clientId } : undefined;
    }
    if (oauth.issuer === 'accounts.google.com') {
      const clientId = settings.get('oauth.googleClientId');
      const clientSecret = settings.get('oauth.googleClientSecret');
      return clientId ? { clientId, ...(clientSecret ? { clientSecret } : {}) } : undefined;
    }
    // Any other provider whose autoconfig names its endpoints: the user's client there, by its issuer.
    return settings.get('oauth.clients')[oauth.issuer.toLowerCase()];
  };
}
