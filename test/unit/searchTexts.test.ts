// The POP3 search index on disk and in memory: bounded in total, newest first, and let go when searches stop.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { mimeReading } from '../../src/protocols/mime/messageReading';
import { SearchTexts } from '../../src/store/searchTexts';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const message = (base: string, text: string) => ({
  base,
  read: async () => Buffer.from(`Subject: ${base}\r\n\r\n${text}\r\n`),
});

test('the texts of the newest messages are kept up to the bound; memory is let go when no search ran for a while', async () => {
  const root = mkdtempSync(join(tmpdir(), 'letterbox-texts-'));
  roots.push(root);
  const texts = new SearchTexts(root, mimeReading, { totalLimit: 50, idleMs: 80 });
  const messages = ['m5', 'm4', 'm3', 'm2', 'm1'].map((base) => message(base, `${base} ${'x'.repeat(15)}`));
  const first = await texts.textsOf(messages);
  assert.deepEqual([...first.texts.keys()], ['m5', 'm4'], 'newest first, up to 50 characters');
  assert.equal(first.headersOnly, 3);
  assert.equal(texts.holding, true);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(texts.holding, false, 'idle: given back');
  // Read again from disk, without reading the messages.
  const again = await new SearchTexts(root, mimeReading, { totalLimit: 50 }).textsOf(
    messages.map(({ base }) => ({ base, read: async () => assert.fail(`read ${base} again`) })).slice(0, 2),
  );
  assert.deepEqual([...again.texts.keys()], ['m5', 'm4']);
});
