// Which client id Letterbox signs in with at a provider: the user's own settings (an organisation's app
// registration), by the provider's sign-in host. None is built in until the publisher registers apps (README).
import type { FoundOAuth } from './discovery/foundConfig';
import type { OAuthClients } from './lookupStep';
import type { SettingValues } from './settingsTable';

type ClientSettings = {
  get<K extends 'oauth.microsoftClientId' | 'oauth.googleClientId' | 'oauth.googleClientSecret'>(
    key: K,
  ): SettingValues[K];
};

export function oauthClients(settings: ClientSettings): OAuthClients {
  return (oauth: FoundOAuth) => {
    if (oauth.issuer === 'login.microsoftonline.com') {
      const clientId = settings.get('oauth.microsoftClientId');
      return clientId ? { clientId } : undefined;
    }
    if (oauth.issuer === 'accounts.google.com') {
      const clientId = settings.get('oauth.googleClientId');
      const clientSecret = settings.get('oauth.googleClientSecret');
      return clientId ? { clientId, ...(clientSecret ? { clientSecret } : {}) } : undefined;
    }
    return undefined;
  };
}
