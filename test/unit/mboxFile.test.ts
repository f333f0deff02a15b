// An mbox read without being changed or read whole: messages split where a "From " line follows an empty line (at
// any chunk boundary), each read back byte for byte by its offsets with ">From " quoting undone, the header blocks
// kept for the list, and the file's hash taken in the same pass; git format-patch --stdout's output as it is.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { indexMbox, readMboxMessage } from '../../src/store/mboxFile';
import { git, sendSeries } from '../support/patchSeries';

const dir = mkdtempSync(join(tmpdir(), 'letterbox-mbox-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function message(n: number, body: string, eol = '\n'): string {
  return [`From: Sender ${n} <s${n}@example.org>`, `Subject: Message ${n}`, `Message-ID: <m${n}@example.org>`, '', body]
    .join(eol)
    .concat(eol);
}

/** An mboxrd file: each message after a "From " line, body lines starting with (>*)From quoted once more. */
function mboxrd(messages: string[], eol = '\n'): string {
  return messages
    .map((text) => `From sender@example.org Mon Dec  7 10:00:00 2026${eol}${text.replace(/^(>*From )/gm, '>$1')}${eol}`)
    .join('');
}

describe('mbox files', () => {
  test('split where a From line follows an empty line; each message read back as it was; quoting undone', async () => {
    const messages = [
      message(1, 'Hello.\n\nFrom the start, this line was quoted in the file.\n>From a quote of it.'),
      message(2, 'Second.'),
      message(3, 'Third.\nFrom here on no empty line before: not a separator either.'),
    ];
    const path = join(dir, 'small.mbox');
    writeFileSync(path, mboxrd(messages));
    const index = await indexMbox(path);
    assert.equal(index.entries.length, 3);
    for (const [i, entry] of index.entries.entries()) {
      assert.equal((await readMboxMessage(path, entry)).toString('latin1'), messages[i]);
      assert.match(
        entry.header.toString('latin1'),
        new RegExp(`^From: Sender ${i + 1} .*\\nSubject: Message ${i + 1}\\n`),
      );
    }
  });

  test('a file larger than the reading chunk: every boundary found, the file unchanged, its hash the real one', async () => {
    const messages = Array.from({ length: 300 }, (_, n) => message(n, `${'x'.repeat(7_000 + n)}\nend of ${n}`, '\r\n'));
    const path = join(dir, 'large.mbox');
    writeFileSync(path, mboxrd(messages, '\r\n'));
    const before = statSync(path);
    const bytes = readFileSync(path);
    assert.ok(bytes.length > 2 * 1024 * 1024);
    let progress = 0;
    const index = await indexMbox(path, (read) => (progress = read));
    assert.equal(progress, bytes.length);
    assert.equal(index.entries.length, 300);
    assert.equal(index.sha256, createHash('sha256').update(bytes).digest('hex'));
    for (const n of [0, 1, 149, 150, 299])
      assert.equal((await readMboxMessage(path, index.entries[n]!)).toString('latin1'), messages[n], `message ${n}`);
    const afterwards = statSync(path);
    assert.deepEqual([afterwards.size, afterwards.mtimeMs], [before.size, before.mtimeMs], 'the file is not changed');
  });

  test('git format-patch --stdout: the cover letter and the three patches', async () => {
    const sent = sendSeries(join(dir, 'series'));
    const path = join(dir, 'series.mbox');
    writeFileSync(path, git(sent.upstream, 'format-patch', '--stdout', '--cover-letter', '-v2', 'main..frob'));
    const index = await indexMbox(path);
    assert.deepEqual(
      index.entries.map((entry) => /^Subject: (.*)$/m.exec(entry.header.toString('utf8'))?.[1]),
      [
        '[PATCH v2 0/3] *** SUBJECT HERE ***',
        '[PATCH v2 1/3] widget: add frob()',
        '[PATCH v2 2/3] widget: call frob()',
        '[PATCH v2 3/3] docs: describe frobbing',
      ],
    );
    const second = (await readMboxMessage(path, index.entries[2]!)).toString('utf8');
    assert.match(second, /^From: Ann Author <ann@example\.org>\n/);
    assert.match(second, /\+\treturn frob\(\);\n/);
  });
});
