// The folder tree and names people expect, over the lists that real servers return (as imapflow reports them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Folder, SpecialUse } from '../../src/mail/types';
import { layoutFolders, type Namespaces } from '../../src/protocols/imap/folderLayout';

/** A listed folder as toFolder() makes it: `path` with the server's delimiter, `name` its last segment. */
function listed(path: string, delimiter: string, options: { use?: SpecialUse; noselect?: boolean } = {}): Folder {
  const parts = path.split(delimiter);
  const isInbox = path.toUpperCase() === 'INBOX';
  return {
    path,
    delimiter,
    name: isInbox ? 'Inbox' : parts.at(-1)!,
    parentPath: parts.length > 1 ? parts.slice(0, -1).join(delimiter) : undefined,
    specialUse: isInbox ? 'inbox' : options.use,
    selectable: !options.noselect,
    total: 0,
    unread: 0,
  };
}

/** The tree as lines: top-level names, children indented under their parent, in display order. */
function tree(folders: Folder[]): string[] {
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const folder of folders.filter((candidate) => candidate.parentPath === parent)) {
      lines.push(`${'  '.repeat(depth)}${folder.name}`);
      walk(folder.path, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

const personal = (prefix: string, delimiter: string): Namespaces => ({
  personal: [{ prefix, delimiter }],
  other: false,
  shared: false,
});

test('Dovecot (no prefix): folders as they are, in the familiar order, subfolders under their parent', () => {
  const folders = [
    listed('INBOX', '/'),
    listed('Trash', '/', { use: 'trash' }),
    listed('Sent', '/', { use: 'sent' }),
    listed('Projects', '/'),
    listed('Projects/Letterbox', '/'),
    listed('Drafts', '/', { use: 'drafts' }),
    listed('Archive', '/', { use: 'archive' }),
    listed('Junk', '/', { use: 'junk' }),
    listed('Entwürfe alt', '/'),
  ];
  assert.deepEqual(tree(layoutFolders(folders, personal('', '/'))), [
    'Inbox',
    'Drafts',
    'Sent',
    'Archive',
    'Junk',
    'Trash',
    'Entwürfe alt',
    'Projects',
    '  Letterbox',
  ]);
});

test('Courier / older Cyrus ("INBOX." prefix): INBOX.X is the top-level folder X beside Inbox', () => {
  const folders = [
    listed('INBOX', '.'),
    listed('INBOX.Archive', '.', { use: 'archive' }),
    listed('INBOX.Sent', '.', { use: 'sent' }),
    listed('INBOX.Trash', '.', { use: 'trash' }),
    listed('INBOX.Drafts', '.', { use: 'drafts' }),
    listed('INBOX.Junk', '.', { use: 'junk' }),
    listed('INBOX.Clients', '.'),
    listed('INBOX.Clients.ACME', '.'),
  ];
  const laid = layoutFolders(folders, personal('INBOX.', '.'));
  assert.deepEqual(tree(laid), ['Inbox', 'Drafts', 'Sent', 'Archive', 'Junk', 'Trash', 'Clients', '  ACME']);
  assert.equal(laid.find((folder) => folder.name === 'Trash')?.path, 'INBOX.Trash', 'operations keep the real path');
});

test('Courier without special-use flags: names stay as listed, still at the top level', () => {
  const folders = [listed('INBOX', '.'), listed('INBOX.Sent Items', '.'), listed('INBOX.Deleted Items', '.')];
  assert.deepEqual(tree(layoutFolders(folders, personal('INBOX.', '.'))), ['Inbox', 'Deleted Items', 'Sent Items']);
});

test('Cyrus with altnamespace (no prefix, "/" separator) and a shared namespace as its own group', () => {
  const folders = [
    listed('INBOX', '/'),
    listed('Sent', '/', { use: 'sent' }),
    listed('Trash', '/', { use: 'trash' }),
    listed('Other Users', '/', { noselect: true }),
    listed('Other Users/bob', '/', { noselect: true }),
    listed('Other Users/bob/Calendar', '/'),
    listed('Shared Folders/team', '/'),
  ];
  const namespaces: Namespaces = {
    personal: [{ prefix: '', delimiter: '/' }],
    other: [{ prefix: 'Other Users/', delimiter: '/' }],
    shared: [{ prefix: 'Shared Folders/', delimiter: '/' }],
  };
  const laid = layoutFolders(folders, namespaces);
  assert.deepEqual(tree(laid), [
    'Inbox',
    'Sent',
    'Trash',
    'Other Users',
    '  bob',
    '    Calendar',
    'Shared Folders',
    '  team',
  ]);
  assert.equal(
    laid.find((folder) => folder.name === 'Shared Folders')?.selectable,
    false,
    'a group holds no mail of its own',
  );
});

test("Gmail: [Gmail]'s special folders at the top level, All Mail last, the empty container gone", () => {
  const folders = [
    listed('INBOX', '/'),
    listed('[Gmail]', '/', { noselect: true }),
    listed('[Gmail]/All Mail', '/', { use: 'all' }),
    listed('[Gmail]/Drafts', '/', { use: 'drafts' }),
    listed('[Gmail]/Sent Mail', '/', { use: 'sent' }),
    listed('[Gmail]/Spam', '/', { use: 'junk' }),
    listed('[Gmail]/Starred', '/', { use: 'flagged' }),
    listed('[Gmail]/Trash', '/', { use: 'trash' }),
    listed('Receipts', '/'),
    listed('Work', '/'),
    listed('Work/Clients', '/'),
  ];
  assert.deepEqual(tree(layoutFolders(folders, personal('', '/'))), [
    'Inbox',
    'Drafts',
    'Sent',
    'Junk',
    'Trash',
    'Flagged',
    'Receipts',
    'Work',
    '  Clients',
    'All Mail',
  ]);
});

test('Gmail with a [Gmail] folder that keeps something without a role: the container stays for it', () => {
  const folders = [
    listed('INBOX', '/'),
    listed('[Gmail]', '/', { noselect: true }),
    listed('[Gmail]/Important', '/'),
    listed('[Gmail]/Trash', '/', { use: 'trash' }),
  ];
  assert.deepEqual(tree(layoutFolders(folders, personal('', '/'))), ['Inbox', 'Trash', '[Gmail]', '  Important']);
});
