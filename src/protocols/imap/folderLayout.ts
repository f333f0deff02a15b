// How a server's folders are shown: one display name per folder and the tree people expect, whatever layout the
// server uses. Pure, so the rules are tested over the lists real servers return:
// - Dovecot and Cyrus (altnamespace) put folders at the top level: shown as they are.
// - Courier, older Cyrus and many hosts put personal folders under the personal namespace prefix "INBOX."
//   (RFC 2342): "INBOX.Sent" is the top-level folder "Sent" beside Inbox, which is what the prefix means.
// - Gmail keeps its special folders in a \Noselect "[Gmail]" container: they are lifted to the top level, and the
//   container goes when nothing is left in it. "All Mail" comes last.
// - Other users' and shared namespaces become groups of their own.
// Names: the role's name where a folder has one ("Sent", "Trash"), otherwise its last path segment (already
// decoded from modified UTF-7 by imapflow). Paths stay the real ones: moves and deletes use them.
import type { Folder, SpecialUse } from '../../mail/types';

export interface NamespaceInfo {
  prefix: string;
  delimiter: string | null | undefined;
}

export interface Namespaces {
  personal?: NamespaceInfo[];
  other?: NamespaceInfo[] | false;
  shared?: NamespaceInfo[] | false;
}

const ROLE_NAMES: Record<SpecialUse, string> = {
  inbox: 'Inbox',
  drafts: 'Drafts',
  sent: 'Sent',
  archive: 'Archive',
  junk: 'Junk',
  trash: 'Trash',
  all: 'All Mail',
  flagged: 'Flagged',
};

/** Inbox, Drafts, Sent, Archive, Junk, Trash, then the rest by name, then All Mail, then namespace groups. */
const RANK: Partial<Record<SpecialUse, number>> = {
  inbox: 0,
  drafts: 1,
  sent: 2,
  archive: 3,
  junk: 4,
  trash: 5,
  all: 7,
};
const REST = 6;
const GROUP = 8;

const GROUP_NAMES = { other: 'Other Users', shared: 'Shared Folders' } as const;

export function layoutFolders(listed: Folder[], namespaces: Namespaces = {}): Folder[] {
  const folders = listed.map((folder) => ({ ...folder, name: displayName(folder) }));
  const byPath = new Map(folders.map((folder) => [folder.path, folder]));
  const groups = new Set<string>();

  // Namespaces of other users and shared folders: a group node each, listed or made up (never selectable).
  for (const [kind, list] of [
    ['other', namespaces.other],
    ['shared', namespaces.shared],
  ] as const) {
    for (const namespace of list || []) {
      const root = rootOf(namespace);
      if (!root) continue;
      groups.add(root);
      const existing = byPath.get(root);
      if (existing) {
        existing.name = GROUP_NAMES[kind];
        existing.parentPath = undefined;
      } else {
        const group: Folder = {
          path: root,
          name: GROUP_NAMES[kind],
          delimiter: namespace.delimiter ?? '',
          selectable: false,
          total: 0,
          unread: 0,
        };
        folders.push(group);
        byPath.set(root, group);
      }
    }
  }

  // The personal namespace prefix ("INBOX.") makes its children top-level folders.
  const personalRoots = new Set(
    (namespaces.personal ?? []).map(rootOf).filter((root): root is string => Boolean(root)),
  );
  for (const folder of folders) {
    if (folder.parentPath && personalRoots.has(folder.parentPath) && !groups.has(folder.path))
      folder.parentPath = undefined;
  }

  // Special folders inside a container that holds no mail ("[Gmail]") belong at the top level.
  for (const folder of folders) {
    const parent = folder.parentPath ? byPath.get(folder.parentPath) : undefined;
    if (folder.specialUse && parent && !parent.selectable && !groups.has(parent.path)) folder.parentPath = undefined;
  }
  const hasChildren = new Set(folders.map((folder) => folder.parentPath).filter(Boolean));
  const shown = folders.filter(
    (folder) => folder.selectable || hasChildren.has(folder.path) || groups.has(folder.path),
  );

  return shown.sort(
    (a, b) => rank(a, groups) - rank(b, groups) || a.name.localeCompare(b.name) || a.path.localeCompare(b.path),
  );
}

export function displayName(folder: Pick<Folder, 'path' | 'name' | 'specialUse'>): string {
  if (folder.specialUse) return ROLE_NAMES[folder.specialUse];
  return folder.name;
}

function rootOf(namespace: NamespaceInfo): string | undefined {
  const { prefix, delimiter } = namespace;
  if (!prefix) return undefined;
  return delimiter && prefix.endsWith(delimiter) ? prefix.slice(0, -delimiter.length) : prefix;
}

function rank(folder: Folder, groups: Set<string>): number {
  if (groups.has(folder.path)) return GROUP;
  return (folder.specialUse ? RANK[folder.specialUse] : undefined) ?? REST;
}
