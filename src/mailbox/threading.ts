// Jamie Zawinski's threading algorithm (https://www.jwz.org/doc/threading.html, and RFC 5256 REFERENCES, which
// is the same): messages are joined by Message-ID, References and In-Reply-To only. Missing parents become
// placeholders, so replies to a message nobody has still share a thread; a link that would close a cycle is not
// made; a Message-ID seen twice is threaded as two messages. Subjects join roots only when asked (`bySubject`):
// unrelated mail with the same subject ("Build failed") must not become one thread by default.
//
// Generic over the message type so the tree (summaries), search results and patch series thread the same way.

export interface Threadable {
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  subject: string;
  date?: Date;
  /** The server's own thread id (RFC 8474 THREADID, Gmail X-GM-THRID): messages that share one share a thread. */
  threadId?: string;
}

/** One message in a thread and the replies to it, oldest first. */
export interface ThreadBranch<T> {
  message: T;
  replies: ThreadBranch<T>[];
}

export interface Thread<T> {
  /** Stable while the thread's first message stays: the Message-ID at its root (or a placeholder's). */
  key: string;
  /** The messages at the top of the thread, oldest first (several when their common parent is missing). */
  branches: ThreadBranch<T>[];
  /** Every message of the thread, oldest first. */
  messages: T[];
  /** The newest message's time (ms since 1970), what threads are ordered by; 0 when no message has a date. */
  latest: number;
}

export interface ThreadingOptions {
  /** Also join threads whose subjects are the same after removing Re:/Fwd:/[list] prefixes. */
  bySubject?: boolean;
}

interface Container<T> {
  id: string;
  message?: T;
  parent?: Container<T>;
  children: Container<T>[];
}

/**
 * Threads of these messages, the thread with the newest message first. Give them oldest first (as they arrived):
 * of two messages with the same Message-ID, the first one given is the one replies join, as in RFC 5256.
 */
export function threadMessages<T extends Threadable>(
  messages: readonly T[],
  options: ThreadingOptions = {},
): Thread<T>[] {
  const table = new Map<string, Container<T>>();
  const containers: Container<T>[] = [];
  const container = (id: string): Container<T> => {
    let found = table.get(id);
    if (!found) {
      found = { id, children: [] };
      table.set(id, found);
      containers.push(found);
    }
    return found;
  };
  let unnamed = 0;
  for (const message of messages) {
    const ownId = normalizeId(message.messageId);
    let own = ownId ? container(ownId) : undefined;
    if (!own || own.message) {
      // No Message-ID, or one seen before (a copy, or a broken client): a message of its own that nothing can
      // name as its parent, as JWZ advises.
      own = { id: `${ownId ?? ''}\u0000${unnamed++}`, children: [] };
      containers.push(own);
    }
    own.message = message;
    const chain = parentChain(message, ownId);
    // Each id in References is the parent of the next, unless an earlier message said otherwise.
    let previous: Container<T> | undefined;
    for (const id of chain) {
      const current = container(id);
      if (previous && !current.parent && !createsCycle(previous, current)) link(previous, current);
      previous = current;
    }
    // The message's own word on its parent wins over what other messages' References implied.
    const parent = previous;
    if (parent && parent !== own.parent && !createsCycle(parent, own)) {
      unlink(own);
      link(parent, own);
    }
  }
  let roots = containers.filter((candidate) => !candidate.parent).flatMap((root) => pruned(root, true));
  roots = joinByServerThread(roots);
  if (options.bySubject) roots = joinBySubject(roots);
  return roots.map(toThread).sort((a, b) => b.latest - a.latest);
}

/** The ids a message names as its ancestors, oldest first: References, else In-Reply-To (RFC 5256 REFERENCES). */
function parentChain(message: Threadable, ownId: string | undefined): string[] {
  const references = (message.references ?? []).map(normalizeId).filter((id): id is string => Boolean(id));
  const inReplyTo = normalizeId(message.inReplyTo);
  const chain = references.length ? references : inReplyTo ? [inReplyTo] : [];
  // A message that names itself, or names an id twice, would make a cycle of one.
  const seen = new Set<string>();
  return chain.filter((id) => id !== ownId && !seen.has(id) && seen.add(id));
}

export function normalizeId(id: string | undefined): string | undefined {
  const trimmed = id?.trim().replace(/^<|>$/g, '').trim();
  return trimmed ? trimmed : undefined;
}

/** Would making `parent` the parent of `child` close a cycle (is `child` already above `parent`, or the same)? */
function createsCycle<T>(parent: Container<T>, child: Container<T>): boolean {
  for (let up: Container<T> | undefined = parent; up; up = up.parent) if (up === child) return true;
  return false;
}

function link<T>(parent: Container<T>, child: Container<T>): void {
  child.parent = parent;
  parent.children.push(child);
}

function unlink<T>(child: Container<T>): void {
  const parent = child.parent;
  if (!parent) return;
  parent.children.splice(parent.children.indexOf(child), 1);
  child.parent = undefined;
}

/**
 * Placeholders (ids named but not held) without children go; one between messages is replaced by its children; one
 * at the top stays only when it holds several messages together (their common, missing, parent).
 */
function pruned<T>(node: Container<T>, atTop: boolean): Container<T>[] {
  const children = node.children.flatMap((child) => pruned(child, false));
  node.children = children;
  for (const child of children) child.parent = node;
  if (node.message) return [node];
  if (atTop && children.length > 1) return [node];
  for (const child of children) child.parent = undefined;
  return children;
}

/** Roots whose messages carry the same server thread id become one thread (the server knows of more mail). */
function joinByServerThread<T extends Threadable>(roots: Container<T>[]): Container<T>[] {
  const byThreadId = new Map<string, Container<T>>();
  const joined: Container<T>[] = [];
  for (const root of roots) {
    const threadId = firstMessage(root)?.threadId;
    const earlier = threadId ? byThreadId.get(threadId) : undefined;
    if (!threadId || !earlier) {
      if (threadId) byThreadId.set(threadId, root);
      joined.push(root);
      continue;
    }
    byThreadId.set(threadId, adopt(earlier, root, joined));
  }
  return joined;
}

/** With `bySubject`: roots with the same base subject join; a reply ("Re: x") goes under the message it answers. */
function joinBySubject<T extends Threadable>(roots: Container<T>[]): Container<T>[] {
  const bySubject = new Map<string, Container<T>>();
  const joined: Container<T>[] = [];
  for (const root of roots) {
    const subject = baseSubject(firstMessage(root)?.subject ?? '');
    const earlier = subject ? bySubject.get(subject) : undefined;
    if (!earlier) {
      if (subject) bySubject.set(subject, root);
      joined.push(root);
      continue;
    }
    bySubject.set(subject, adopt(earlier, root, joined));
  }
  return joined;
}

/**
 * Puts `root` into the thread of `earlier` and returns the thread's top: under `earlier` when that is an original
 * ("x") and `root` a reply ("Re: x") or a placeholder's messages; else the two side by side under a placeholder.
 */
function adopt<T>(earlier: Container<T>, root: Container<T>, roots: Container<T>[]): Container<T> {
  if (earlier.message && isReply(earlier) && root.message && !isReply(root)) {
    // The original came after its reply: it takes the reply's place at the top.
    roots[roots.indexOf(earlier)] = root;
    link(root, earlier);
    return root;
  }
  const moved = root.message ? [root] : root.children;
  let top = earlier;
  if (earlier.message && (isReply(earlier) || (root.message && !isReply(root)))) {
    top = { id: `${earlier.id}\u0000joined`, children: [] };
    roots[roots.indexOf(earlier)] = top;
    link(top, earlier);
  }
  for (const message of [...moved]) link(top, message);
  return top;
}

function isReply<T>(container: Container<T>): boolean {
  const subject = (container.message as Threadable | undefined)?.subject ?? '';
  return /^\s*(re|aw|sv|antw)\s*:/i.test(subject);
}

/** A subject without reply and forward prefixes and list tags ("Re: [dev] Fwd: x" -> "x"), lower-cased. */
export function baseSubject(subject: string): string {
  let rest = subject.trim();
  for (;;) {
    const next = rest
      .replace(/^(re|fwd?|aw|wg|sv|vs|antw|tr)(\[\d+\])?\s*:\s*/i, '')
      .replace(/^\[[^\]]*\]\s*/, '')
      .trim();
    if (next === rest) break;
    rest = next;
  }
  return rest.replace(/\s+/g, ' ').toLowerCase();
}

function firstMessage<T>(root: Container<T>): T | undefined {
  if (root.message) return root.message;
  for (const child of root.children) {
    const found = firstMessage(child);
    if (found) return found;
  }
  return undefined;
}

function toThread<T extends Threadable>(root: Container<T>): Thread<T> {
  const branches = root.message ? [toBranch(root)] : sortedByDate(root.children.map(toBranch));
  const messages: T[] = [];
  const collect = (branch: ThreadBranch<T>) => {
    messages.push(branch.message);
    branch.replies.forEach(collect);
  };
  branches.forEach(collect);
  messages.sort((a, b) => timeOf(a) - timeOf(b));
  return {
    key: root.id,
    branches,
    messages,
    latest: messages.reduce((latest, message) => Math.max(latest, timeOf(message)), 0),
  };
}

function toBranch<T extends Threadable>(node: Container<T>): ThreadBranch<T> {
  return { message: node.message as T, replies: sortedByDate(node.children.map(toBranch)) };
}

function sortedByDate<T extends Threadable>(branches: ThreadBranch<T>[]): ThreadBranch<T>[] {
  return branches.sort((a, b) => timeOf(a.message) - timeOf(b.message));
}

function timeOf(message: Threadable): number {
  return message.date?.getTime() ?? 0;
}
