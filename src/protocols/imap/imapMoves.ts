// Moving and expunging exactly the messages asked for: MOVE (RFC 6851) where offered, imapflow's COPY + \Deleted +
// UID EXPUNGE emulation with UIDPLUS (RFC 4315), else COPY and \Deleted only, said to the user, since a bare EXPUNGE
// would also remove every other message someone marked \Deleted.
import type { ImapFlow } from 'imapflow';
import { MailError } from '../../mail/mailError';
import type { FolderPath } from '../../mail/types';

/** Throws the right error when imapflow answered `false` (a NO, or a connection that went away). */
export type Refused = (client: ImapFlow, what: string) => never;

export async function moveExactly(
  client: ImapFlow,
  set: string,
  target: FolderPath,
  refused: Refused,
  host: string,
): Promise<void> {
  if (client.capabilities.has('MOVE') || client.capabilities.has('UIDPLUS')) {
    if (!(await client.messageMove(set, target, { uid: true }))) refused(client, 'moving');
    return;
  }
  if (!(await client.messageCopy(set, target, { uid: true }))) refused(client, 'copying');
  await expungeExactly(client, set, refused, host);
}

export async function expungeExactly(client: ImapFlow, set: string, refused: Refused, host: string): Promise<void> {
  if (client.capabilities.has('UIDPLUS')) {
    if (!(await client.messageDelete(set, { uid: true }))) refused(client, 'expunging');
    return;
  }
  if (!(await client.messageFlagsAdd(set, ['\\Deleted'], { uid: true }))) refused(client, 'marking as deleted');
  throw new MailError(
    'unsupported',
    `the messages are marked as deleted but stay on ${host} until expunged: the server lacks UIDPLUS, and a plain EXPUNGE would also remove other messages marked as deleted`,
  );
}
