// Test-side access to a Dovecot user's mailbox: seeding messages and checking what the server really holds,
// through a separate plain IMAP connection on loopback (never through the code under test).
import { ImapFlow } from 'imapflow';
import type { DovecotServer, TestUser } from '../servers/dovecot';

export async function withMailbox<T>(
  server: DovecotServer,
  user: TestUser,
  work: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const client = new ImapFlow({
    host: server.host,
    port: server.ports.imap,
    secure: false,
    doSTARTTLS: false,
    auth: { user: user.user, pass: user.password },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export interface Seed {
  raw: string | Buffer;
  flags?: string[];
  date?: Date;
}

/** Appends messages in order, so UIDs grow with the array index. Returns the UIDs given by the server. */
export async function appendMessages(
  server: DovecotServer,
  user: TestUser,
  folder: string,
  seeds: Seed[],
): Promise<number[]> {
  return withMailbox(server, user, async (client) => {
    const uids: number[] = [];
    for (const seed of seeds) {
      const result = await client.append(folder, seed.raw, seed.flags ?? [], seed.date);
      if (!result || !result.uid) throw new Error(`APPEND to ${folder} returned no UID`);
      uids.push(result.uid);
    }
    return uids;
  });
}

export interface ServerMessage {
  uid: number;
  flags: Set<string>;
  subject: string;
}

/** Works in one folder of the user's mailbox, as another client would (flags changed, mail expunged elsewhere). */
export async function inFolder<T>(
  server: DovecotServer,
  user: TestUser,
  folder: string,
  work: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  return withMailbox(server, user, async (client) => {
    const lock = await client.getMailboxLock(folder);
    try {
      return await work(client);
    } finally {
      lock.release();
    }
  });
}

export async function messagesIn(server: DovecotServer, user: TestUser, folder: string): Promise<ServerMessage[]> {
  return inFolder(server, user, folder, async (client) => {
    if (!client.mailbox || client.mailbox.exists === 0) return [];
    const found: ServerMessage[] = [];
    for await (const message of client.fetch('1:*', { uid: true, flags: true, envelope: true }, { uid: false })) {
      found.push({ uid: message.uid, flags: message.flags ?? new Set(), subject: message.envelope?.subject ?? '' });
    }
    return found;
  });
}
