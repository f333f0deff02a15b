import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { openWith, runsCode, safeAttachmentName } from '../../src/views/panel/attachmentNames';

test('a sender-chosen name can never leave the chosen folder', () => {
  const folder = '/home/user/Downloads';
  for (const hostile of [
    '../../.bashrc',
    '..\\..\\Windows\\system32\\evil.dll',
    '/etc/passwd',
    'C:\\boot.ini',
    '....//....//x',
    '..',
    '.',
    '/',
    'a/../../b.txt',
  ]) {
    const name = safeAttachmentName(hostile);
    assert.ok(name.length > 0, hostile);
    assert.ok(!/[/\\]/.test(name), `${hostile} -> ${name}`);
    assert.equal(resolve(join(folder, name)).startsWith(`${folder}/`), true, `${hostile} -> ${name}`);
    assert.notEqual(name, '..');
  }
  assert.equal(safeAttachmentName('../../.bashrc'), 'bashrc');
  assert.equal(safeAttachmentName('..\\..\\Windows\\system32\\evil.dll'), 'evil.dll');
});

test('device names, hidden names, control and bidi characters are neutralised', () => {
  assert.equal(safeAttachmentName('CON'), '_CON');
  assert.equal(safeAttachmentName('nul.txt'), '_nul.txt');
  assert.equal(safeAttachmentName('.hidden'), 'hidden');
  assert.equal(
    safeAttachmentName('invoice\u202Efdp.exe'),
    'invoice_fdp.exe',
    'right-to-left override cannot disguise an extension',
  );
  assert.equal(safeAttachmentName('a\u0000b\nc:d?.txt'), 'a_b_c_d_.txt');
  assert.equal(safeAttachmentName('   '), 'attachment');
  assert.equal(safeAttachmentName(''), 'attachment');
});

test('long names are shortened but keep their extension; ordinary names pass unchanged', () => {
  const long = `${'x'.repeat(300)}.pdf`;
  const safe = safeAttachmentName(long);
  assert.equal(safe.length, 120);
  assert.ok(safe.endsWith('.pdf'));
  assert.equal(safeAttachmentName('Rechnung März 2026.pdf'), 'Rechnung März 2026.pdf');
});

test('files that run code are recognised so the user is asked first', () => {
  assert.equal(runsCode('setup.EXE'), true);
  assert.equal(runsCode('page.html'), true);
  assert.equal(runsCode('report.pdf'), false);
});

test('only allow-listed types open without a question; everything the old deny-list let through is asked about', () => {
  // Each of these opened with no warning before the allow-list (they were missing from the deny-list).
  const slipped = [
    'a.cpl',
    'a.msc',
    'a.url',
    'a.scf',
    'a.iso',
    'a.img',
    'a.vhdx',
    'a.one',
    'a.chm',
    'a.inf',
    'a.xll',
    'a.xlsm',
    'a.docm',
    'a.psm1',
    'a.appref-ms',
    'a.settingcontent-ms',
    'a.search-ms',
    'a.py',
    'a.desktop',
    'a.terminal',
    'a.fileloc',
    'a.jnlp',
    'a.unknownext',
    'no-extension',
  ];
  for (const name of slipped) assert.equal(openWith(name), 'ask', name);
  assert.deepEqual(['photo.JPG', 'notes.txt', 'data.csv'].map(openWith), ['editor', 'editor', 'editor']);
  assert.deepEqual(['report.pdf', 'sheet.xlsx', 'talk.pptx', 'letter.odt', 'song.mp3'].map(openWith), [
    'system',
    'system',
    'system',
    'system',
    'system',
  ]);
  assert.equal(openWith('invoice.pdf.exe'), 'ask', 'the last extension decides');
});
