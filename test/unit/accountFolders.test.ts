// Each account keeps what it downloads and caches in a folder of its own, named after its id. macOS and Windows
// disks ignore case, so the names must differ regardless of case, or "Work" and "work" would share one store.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AccountConfig } from '../../src/accounts/accountConfig';
import { accountStorePath, mailBackendFactory } from '../../src/accounts/backendFactory';
import { silentLogger } from '../../src/mail/logger';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

test('ids that differ only in case get folder names that differ regardless of case', () => {
  const ids = [
    'work',
    'Work',
    'WORK',
    'wOrk',
    'pop3:Me@Example.org@pop.example.org',
    'pop3:me@example.org@pop.example.org',
    'Ünïcode',
    'ünïcode',
    '%57ork',
    'a%2Fb',
  ];
  const names = ids.map((id) => accountStorePath('/root', id).slice('/root/'.length));
  const folded = new Set(names.map((name) => name.toLowerCase()));
  assert.equal(folded.size, ids.length, names.join(' '));
  assert.equal(
    accountStorePath('/root', 'imap:me@example.org@imap.example.org'),
    '/root/imap%3Ame%40example.org%40imap.example.org',
    'lower-case ids keep the name they had',
  );
});

test("a folder an older version named with capitals moves to the new name, and another account's never does", () => {
  const root = mkdtempSync(join(tmpdir(), 'letterbox-folders-'));
  roots.push(root);
  mkdirSync(join(root, 'Work'));
  writeFileSync(join(root, 'Work', 'index.json'), '{"mine":"Work"}');
  mkdirSync(join(root, 'home'));
  const account = (id: string): AccountConfig => ({
    id,
    label: id,
    email: '',
    protocol: 'pop3',
    host: 'pop.example.org',
    port: 995,
    security: 'tls',
    user: 'me',
    pop3: { leaveOnServer: true, deleteWhenDeletedLocally: false },
  });
  const factory = mailBackendFactory({ log: silentLogger, storageRoot: root });
  factory(account('Work'), async () => 'pw');
  factory(account('home'), async () => 'pw');
  assert.deepEqual(readdirSync(root).sort(), ['%57ork', 'home']);
  assert.ok(existsSync(join(root, '%57ork', 'index.json')), 'the downloaded mail moved along');
});
