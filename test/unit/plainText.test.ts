// Server and mail text shown in a notification must never become a clickable command link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchWords } from '../../src/mail/searchWords';
import { neutraliseLinks, sourceText } from '../../src/util/plainText';

// VS Code's own link syntax for notification messages (src/vs/base/common/linkedText.ts, parseLinkedText).
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

test('a server reply carrying [label](command:...) keeps its words but no link survives', () => {
  const hostile = [
    '-ERR [AUTH] [Click to fix](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)',
    'NO [ALERT] see [docs](https://evil.example/x "title")',
    '[a](command:x) and [b](file:///etc/passwd)',
    '[nested [x](command:a)](command:b)',
  ];
  for (const text of hostile) {
    assert.ok(text.match(VSCODE_LINK), `the sample is a link to VS Code: ${text}`);
    const safe = neutraliseLinks(text);
    assert.equal(safe.match(VSCODE_LINK), null, safe);
    assert.equal(safe.replace(/\u2009/g, ''), text, 'only a thin space is added');
  }
});

test('ordinary text is left alone', () => {
  assert.equal(
    neutraliseLinks('cannot connect to imap.example.org:993 as "me" [AUTH] (try again)'),
    'cannot connect to imap.example.org:993 as "me" [AUTH] (try again)',
  );
  assert.equal(neutraliseLinks('From: Ann <ann@example.org>'), 'From: Ann <ann@example.org>');
});

test('View Source shows 8-bit mail byte for byte (Latin-1), and UTF-8 mail as UTF-8', () => {
  const latin1 = Buffer.from([0x53, 0x75, 0x62, 0x6a, 0x65, 0x63, 0x74, 0x3a, 0x20, 0x47, 0x72, 0xfc, 0xdf, 0x65]);
  assert.equal(sourceText(latin1), 'Subject: Grüße');
  assert.equal(Buffer.from(sourceText(latin1), 'latin1').equals(latin1), true, 'every byte survives');
  assert.equal(sourceText(Buffer.from('Subject: Zoë 日本', 'utf8')), 'Subject: Zoë 日本');
});

test('search input: words split on spaces, quoted phrases stay together, empty parts dropped', () => {
  assert.deepEqual(searchWords('  quarterly   report '), ['quarterly', 'report']);
  assert.deepEqual(searchWords('"build failed" lint'), ['build failed', 'lint']);
  assert.deepEqual(searchWords('"unfinished phrase'), ['unfinished phrase']);
  assert.deepEqual(searchWords('"" '), []);
  assert.deepEqual(searchWords('Smørrebrød'), ['Smørrebrød']);
});
