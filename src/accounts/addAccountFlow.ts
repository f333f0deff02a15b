// "Letterbox: Add Account" and "Edit Account": a multi-step QuickInput with Back, collecting everything but
// secrets for settings and the password for SecretStorage.
import * as vscode from 'vscode';
import type { Protocol, Security } from '../mail/types';
import type { Pop3Policy } from '../sync/pop3Policy';
import { defaultAccountId, defaultPort, type AccountConfig } from './accountConfig';
import type { DiscoveryNet } from './discovery/discovery';
import { nodeNet } from './discovery/nodeNet';
import { ENTER_MYSELF, lookUp, type LookupChoice, type OAuthClients } from './lookupStep';
import { MultiStepInput, type InputStep } from './multiStepInput';
import type { OAuthProvider } from './oauth/oauthProvider';

export interface AccountDraft {
  id?: string;
  label?: string;
  email: string;
  protocol: Protocol;
  host: string;
  security: Security;
  port: string;
  user: string;
  /** Empty when editing means: keep the stored password. */
  password: string;
  policy: 'keep' | 'days' | 'whenDeleted' | 'afterDownload';
  days: string;
  pinnedCertificateSha256?: string;
  /** Signs in with this OAuth2 provider instead of a password (then no password is asked for). */
  oauth?: OAuthProvider;
}

export function draftFrom(account: AccountConfig): AccountDraft {
  const pop3 = account.pop3;
  const policy: AccountDraft['policy'] =
    !pop3 || pop3.leaveOnServer
      ? pop3?.deleteAfterDays !== undefined
        ? 'days'
        : pop3?.deleteWhenDeletedLocally
          ? 'whenDeleted'
          : 'keep'
      : 'afterDownload';
  return {
    id: account.id,
    label: account.label,
    email: account.email,
    protocol: account.protocol,
    host: account.host,
    security: account.security,
    port: String(account.port),
    user: account.user,
    password: '',
    policy,
    days: String(pop3?.deleteAfterDays ?? 14),
    pinnedCertificateSha256: account.pinnedCertificateSha256,
    oauth: account.oauth,
  };
}

export function accountFrom(draft: AccountDraft): AccountConfig {
  const pop3: Pop3Policy | undefined =
    draft.protocol === 'pop3'
      ? {
          leaveOnServer: draft.policy !== 'afterDownload',
          deleteAfterDays: draft.policy === 'days' ? Number(draft.days) : undefined,
          deleteWhenDeletedLocally: draft.policy === 'whenDeleted',
        }
      : undefined;
  const user = draft.user.trim();
  const host = draft.host.trim();
  return {
    id: draft.id ?? defaultAccountId(draft.protocol, user, host),
    label: draft.label ?? draft.email.trim(),
    email: draft.email.trim(),
    protocol: draft.protocol,
    host,
    port: Number(draft.port),
    security: draft.security,
    user,
    pinnedCertificateSha256: draft.pinnedCertificateSha256,
    pop3,
    ...(draft.oauth ? { oauth: draft.oauth } : {}),
  };
}

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
  /** A codicon of ours before the label (labels are shown as text). */
  icon?: string;
}

/** Runs the flow; resolves to the completed draft, or undefined when the user cancelled. */
export async function collectAccount(
  initial: Partial<AccountDraft>,
  editing: boolean,
  /** Where a new account's settings are looked up (tests: loopback); without it, the internet. */
  net: DiscoveryNet = nodeNet(),
  /** The client ids Letterbox may sign in with (the user's settings). */
  clients?: OAuthClients,
): Promise<AccountDraft | undefined> {
  const draft: AccountDraft = {
    email: '',
    protocol: 'imap',
    host: '',
    security: 'tls',
    port: '',
    user: '',
    password: '',
    policy: 'keep',
    days: '14',
    ...initial,
  };
  const title = editing ? 'Edit Mail Account' : 'Add Mail Account';
  // The stored password stays bound to the server it was entered for: a new host, port or user needs it again.
  const original = { host: draft.host.trim().toLowerCase(), port: draft.port, user: draft.user.trim() };
  const sameServer = () =>
    editing &&
    draft.host.trim().toLowerCase() === original.host &&
    draft.port === original.port &&
    draft.user.trim() === original.user;
  /** A new account whose settings were found and taken: the address, the lookup, the password (and POP3 policy). */
  let taken = false;
  const total = () =>
    (taken ? 3 : editing ? 7 : 8) +
    (draft.protocol === 'pop3' ? 1 : 0) +
    (draft.protocol === 'pop3' && draft.policy === 'days' ? 1 : 0);
  /** Where each manual step sits: one later when adding (the lookup is step 2). */
  const at = (step: number) => (editing ? step : step + 1);

  const email: InputStep = async (input) => {
    draft.email = await input.showText({
      title,
      step: 1,
      totalSteps: total(),
      value: draft.email,
      prompt: 'E-mail address',
      placeholder: 'you@example.com',
      validate: (value) =>
        /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? undefined : 'Enter an e-mail address such as you@example.com',
    });
    return editing ? protocol : lookup;
  };
  const lookup: InputStep = async (input) => {
    taken = false;
    const domain = draft.email.trim().split('@')[1] ?? '';
    const choice = await input.showLoadingPick<LookupChoice>({
      title,
      step: 2,
      totalSteps: total(),
      placeholder: `Looking up the mail settings of ${domain}…`,
      initial: [ENTER_MYSELF],
      load: (say) => lookUp(draft.email.trim(), net, say, clients),
    });
    if (choice.unusable) return lookup;
    const server = choice.server ?? choice.prefill;
    if (server) {
      draft.protocol = server.protocol;
      draft.host = server.host;
      draft.security = server.security;
      draft.port = String(server.port);
      draft.user = server.user;
    }
    draft.oauth = choice.oauth;
    if (!choice.server) return protocol;
    taken = true;
    return password;
  };
  const protocol: InputStep = async (input) => {
    const items: Array<Choice<Protocol>> = [
      {
        label: 'IMAP',
        value: 'imap',
        detail: 'Mail stays on the server; read, flagged and deleted state syncs with every device.',
      },
      {
        label: 'POP3',
        value: 'pop3',
        detail: 'Mail is downloaded to this computer for offline reading; you choose what happens to the server copy.',
      },
    ];
    const before = draft.protocol;
    draft.protocol = (
      await input.showPick({
        title,
        step: at(2),
        totalSteps: total(),
        placeholder: 'How should Letterbox read this mailbox?',
        items,
        active: items.find((i) => i.value === draft.protocol),
      })
    ).value;
    if (before !== draft.protocol && !editing) draft.host = '';
    return host;
  };
  const host: InputStep = async (input) => {
    const domain = draft.email.split('@')[1] ?? '';
    draft.host = (
      await input.showText({
        title,
        step: at(3),
        totalSteps: total(),
        value: draft.host || `${draft.protocol === 'imap' ? 'imap' : 'pop'}.${domain}`,
        prompt: `${draft.protocol.toUpperCase()} server host name`,
        validate: (value) =>
          /^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:]+\]?$/.test(value.trim())
            ? undefined
            : 'Enter a host name such as imap.example.com',
      })
    ).trim();
    return security;
  };
  const security: InputStep = async (input) => {
    const items: Array<Choice<Security>> = [
      {
        label: 'TLS',
        value: 'tls',
        description: 'recommended',
        detail: `Encrypted from the first byte (port ${defaultPort(draft.protocol, 'tls')}).`,
      },
      {
        label: 'STARTTLS',
        value: 'starttls',
        detail: `Upgraded to encryption after connecting (port ${defaultPort(draft.protocol, 'starttls')}); fails if the server does not offer it.`,
      },
      {
        label: 'None',
        icon: 'warning',
        value: 'none',
        detail: 'No encryption: your password and mail cross the network readable by anyone on the way.',
      },
    ];
    const before = draft.security;
    draft.security = (
      await input.showPick({
        title,
        step: at(4),
        totalSteps: total(),
        placeholder: 'Connection security',
        items,
        active: items.find((i) => i.value === draft.security),
      })
    ).value;
    if (before !== draft.security || !draft.port) draft.port = String(defaultPort(draft.protocol, draft.security));
    return port;
  };
  const port: InputStep = async (input) => {
    draft.port = await input.showText({
      title,
      step: at(5),
      totalSteps: total(),
      value: draft.port || String(defaultPort(draft.protocol, draft.security)),
      prompt: 'Port',
      validate: (value) =>
        /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535
          ? undefined
          : 'Enter a port number from 1 to 65535',
    });
    return user;
  };
  const user: InputStep = async (input) => {
    draft.user = await input.showText({
      title,
      step: at(6),
      totalSteps: total(),
      value: draft.user || draft.email,
      prompt: 'User name (often the full e-mail address)',
      validate: (value) => (value.trim() ? undefined : 'Enter the user name'),
    });
    return password;
  };
  const password: InputStep = async (input) => {
    // An account that signs in with its provider's page has no password to ask for.
    if (draft.oauth) return draft.protocol === 'pop3' ? policy : undefined;
    draft.password = await input.showText({
      title,
      step: taken ? 3 : at(7),
      totalSteps: total(),
      value: draft.password,
      password: true,
      prompt: sameServer()
        ? "Password (leave empty to keep the stored one); kept in VS Code's secret storage"
        : "Password; kept in VS Code's secret storage, never in settings",
      validate: (value) =>
        value || sameServer()
          ? undefined
          : editing
            ? 'The server or user name changed: enter the password for it'
            : 'Enter the password',
    });
    return draft.protocol === 'pop3' ? policy : undefined;
  };
  const policy: InputStep = async (input) => {
    const items: Array<Choice<AccountDraft['policy']>> = [
      {
        label: 'Keep messages on the server',
        value: 'keep',
        description: 'default',
        detail: 'Other devices still see all mail.',
      },
      {
        label: 'Delete from the server after some days',
        value: 'days',
        detail: 'Keeps the server from filling up while other devices catch up.',
      },
      {
        label: 'Delete from the server when I delete here',
        value: 'whenDeleted',
        detail: 'Deleting a message in Letterbox removes the server copy at the next check.',
      },
      {
        label: 'Delete from the server after download',
        value: 'afterDownload',
        detail: 'Mail lives only on this computer once it is safely stored.',
      },
    ];
    draft.policy = (
      await input.showPick({
        title,
        step: taken ? 4 : at(8),
        totalSteps: total(),
        placeholder: 'What should happen to the copy on the server?',
        items,
        active: items.find((i) => i.value === draft.policy),
      })
    ).value;
    return draft.policy === 'days' ? days : undefined;
  };
  const days: InputStep = async (input) => {
    draft.days = await input.showText({
      title,
      step: taken ? 5 : at(9),
      totalSteps: total(),
      value: draft.days,
      prompt: 'Delete from the server this many days after download',
      validate: (value) =>
        /^\d+$/.test(value) && Number(value) >= 1 ? undefined : 'Enter a whole number of days, 1 or more',
    });
  };

  return (await MultiStepInput.run(email)) ? draft : undefined;
}
