// The one table from a failure to what the user can do about it. Notifications, the tree's error lines (and their
// menus) and the message panel all offer exactly these, so the same failure offers the same way forward wherever
// it shows. Exhaustive: a new MailErrorKind does not compile until it has its row.
import type { MailErrorKind, UntrustedCertificate } from './mailError';

export type WayForward =
  'enterPassword' | 'signIn' | 'trustCertificate' | 'editAccount' | 'retry' | 'showLog' | 'reportIssue';

export const WAYS_FORWARD: readonly WayForward[] = [
  'enterPassword',
  'signIn',
  'trustCertificate',
  'editAccount',
  'retry',
  'showLog',
  'reportIssue',
];

export function waysForward(failure: {
  kind: MailErrorKind;
  certificate?: UntrustedCertificate;
  signIn?: boolean;
}): WayForward[] {
  switch (failure.kind) {
    case 'auth':
      return [failure.signIn ? 'signIn' : 'enterPassword', 'editAccount', 'showLog'];
    case 'tls':
      return failure.certificate ? ['trustCertificate', 'editAccount', 'showLog'] : ['editAccount', 'retry', 'showLog'];
    case 'network':
      return ['retry', 'editAccount', 'showLog'];
    case 'unsupported':
      return ['editAccount', 'showLog'];
    case 'protocol':
    case 'notFound':
    case 'storage':
    case 'stale':
      return ['retry', 'showLog'];
    case 'internal':
      // A bug of ours: the log says what happened, and the report is how it gets fixed. Retry may still help.
      return ['showLog', 'reportIssue', 'retry'];
    default:
      return assertNever(failure.kind);
  }
}

function assertNever(kind: never): never {
  throw new Error(`no way forward for failure kind ${String(kind)}`);
}
