// Patch series as git writes them: a temporary repository makes `git format-patch --cover-letter --thread` series
// (v1 and v2 of the same branch), read back with mailparser as Letterbox reads mail. The series is recognised with
// its revision, its patches by number and its cover letter; what is missing is said; v1 is superseded by v2; a
// review's trailers go to the patch it answers, the cover letter's to every patch, quoted ones to none.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { findSeries, type SeriesMessage } from '../../src/patches/patchSeries';
import { parsePatchSubject } from '../../src/patches/patchSubject';
import { reviewTrailers, seriesTrailers } from '../../src/patches/trailers';

interface Mail extends SeriesMessage {
  text: string;
}

let dir: string;
let v1: Mail[];
let v2: Mail[];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ann Author',
      GIT_AUTHOR_EMAIL: 'ann@example.org',
      GIT_COMMITTER_NAME: 'Ann Author',
      GIT_COMMITTER_EMAIL: 'ann@example.org',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
}

async function readMail(raw: string | Buffer): Promise<Mail> {
  const parsed = await simpleParser(raw);
  const references = parsed.references;
  return {
    subject: parsed.subject ?? '',
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references: typeof references === 'string' ? [references] : references,
    date: parsed.date,
    from: parsed.from?.value.map((entry) => ({ name: entry.name, address: entry.address ?? '' })) ?? [],
    text: parsed.text ?? '',
  };
}

async function formatPatch(repo: string, version: number, out: string): Promise<Mail[]> {
  git(
    repo,
    'format-patch',
    '-3',
    '--cover-letter',
    '--cover-from-description=subject',
    '--thread=shallow',
    `-v${version}`,
    '-o',
    out,
  );
  const files = readdirSync(out).sort();
  return Promise.all(files.map((file) => readMail(readFileSync(join(out, file)))));
}

function reply(to: Mail, from: string, text: string): Promise<Mail> {
  return readMail(
    [
      `From: ${from}`,
      `Subject: Re: ${to.subject}`,
      `Message-ID: <reply-${Math.random().toString(36).slice(2)}@example.org>`,
      `In-Reply-To: <${to.messageId!.replace(/[<>]/g, '')}>`,
      `References: ${[...(to.references ?? []), to.messageId!].map((id) => `<${id.replace(/[<>]/g, '')}>`).join(' ')}`,
      'Date: Mon, 7 Dec 2026 10:00:00 +0000',
      '',
      text,
    ].join('\r\n'),
  );
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'letterbox-patches-'));
  const repo = join(dir, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'widget.c'), 'int widget;\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'Initial');
  git(repo, 'checkout', '-qb', 'frob');
  git(repo, 'config', 'branch.frob.description', 'Frobnicate the widgets\n\nWidgets get frobnicated.');
  for (const [n, title] of [
    'widget: add frob()',
    'widget: call frob() at start',
    'docs: describe frobbing',
  ].entries()) {
    writeFileSync(join(repo, `file${n}.c`), `/* ${title} */\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', title);
  }
  v1 = await formatPatch(repo, 1, join(dir, 'v1'));
  // git names the cover letter by the second it was made: a real v2 comes days later.
  const second = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === second) await new Promise((resolve) => setTimeout(resolve, 50));
  writeFileSync(join(repo, 'file2.c'), '/* docs: describe frobbing, reworded */\n');
  git(repo, 'commit', '-qa', '--amend', '--no-edit');
  v2 = await formatPatch(repo, 2, join(dir, 'v2'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('Patch subjects', () => {
  test('revision, number, count, RFC and tags as git, b4 and the lists write them', () => {
    const cases: Array<[string, ReturnType<typeof parsePatchSubject>]> = [
      ['[PATCH] fix it', { version: 1, index: 1, total: 1, rfc: false, tags: [], title: 'fix it' }],
      ['[PATCH v2 1/3] a', { version: 2, index: 1, total: 3, rfc: false, tags: [], title: 'a' }],
      ['[PATCHv3 00/12] b', { version: 3, index: 0, total: 12, rfc: false, tags: [], title: 'b' }],
      ['[RFC PATCH net-next v4 2/5] c', { version: 4, index: 2, total: 5, rfc: true, tags: ['net-next'], title: 'c' }],
      ['[linux-foo] [PATCH 2/3 v2] d', { version: 2, index: 2, total: 3, rfc: false, tags: [], title: 'd' }],
      ['[PATCH RESEND] e', { version: 1, index: 1, total: 1, rfc: false, tags: ['RESEND'], title: 'e' }],
      ['[RFC 1/2] f', { version: 1, index: 1, total: 2, rfc: true, tags: [], title: 'f' }],
    ];
    for (const [subject, expected] of cases) assert.deepEqual(parsePatchSubject(subject), expected, subject);
    for (const subject of [
      'Re: [PATCH v2 1/3] a',
      'RE: Re: [PATCH] x',
      '[RFC] an idea',
      'Fix [PATCH] later',
      '[PATCH 4/3] x',
    ])
      assert.equal(parsePatchSubject(subject), undefined, subject);
  });
});

describe('Patch series', () => {
  test('a series as git format-patch sends it: v2 with its cover letter and three patches, v1 superseded', async () => {
    const review = await reply(
      v2[2]!,
      'Rob Reviewer <rob@example.org>',
      'Looks good.\n\nReviewed-by: Rob Reviewer <rob@example.org>',
    );
    const series = findSeries([...v1, ...v2, review]);
    assert.equal(series.length, 2);
    const second = series.find((candidate) => candidate.version === 2)!;
    const first = series.find((candidate) => candidate.version === 1)!;
    assert.equal(second.title, 'Frobnicate the widgets');
    assert.equal(second.total, 3);
    assert.equal(second.cover?.subject, '[PATCH v2 0/3] Frobnicate the widgets');
    assert.deepEqual(
      second.patches.map((patch) => patch?.subject),
      [
        '[PATCH v2 1/3] widget: add frob()',
        '[PATCH v2 2/3] widget: call frob() at start',
        '[PATCH v2 3/3] docs: describe frobbing',
      ],
    );
    assert.deepEqual(second.missing, []);
    assert.equal(second.author?.address, 'ann@example.org');
    assert.deepEqual(
      second.replies.map((entry) => entry.answers),
      [2],
      'the review answers patch 2',
    );
    assert.equal(second.supersededBy, undefined);
    assert.deepEqual(first.supersededBy, { key: second.key, version: 2 });
    assert.equal(first.title, 'Frobnicate the widgets');
  });

  test("one series though its patches' authors differ from the cover letter's sender (a maintainer sends others' work)", () => {
    const sender = { name: 'Mia Maintainer', address: 'mia@example.org' };
    const mails = v2.map((mail, index) => (index === 0 ? { ...mail, from: [sender] } : mail));
    const all = findSeries(mails);
    assert.equal(all.length, 1);
    assert.equal(all[0]!.title, 'Frobnicate the widgets');
    assert.deepEqual(all[0]!.missing, []);
    assert.deepEqual(all[0]!.author, sender);
  });

  test('a patch that did not arrive is named as missing', () => {
    const [series] = findSeries(v2.filter((mail) => !mail.subject.includes('3/3')));
    assert.deepEqual(series!.missing, [3]);
    assert.equal(series!.patches[2], undefined);
  });

  test("review trailers: a patch's own for that patch, the cover letter's for all, quoted ones for none", async () => {
    const onPatch = await reply(v2[2]!, 'Rob <rob@example.org>', 'Reviewed-by: Rob <rob@example.org>');
    const onCover = await reply(
      v2[0]!,
      'Tess <tess@example.org>',
      'Tested-by: Tess <tess@example.org>\nAcked-by: nobody',
    );
    const quoting = await reply(onPatch, 'Quinn <quinn@example.org>', '> Reviewed-by: Rob <rob@example.org>\nThanks!');
    const [series] = findSeries([...v2, onPatch, onCover, quoting]);
    const texts = new Map([onPatch, onCover, quoting].map((mail) => [mail, mail.text]));
    const trailers = seriesTrailers(series!, (mail) => texts.get(mail as Mail));
    const tess = { name: 'Tested-by', value: 'Tess <tess@example.org>' };
    assert.deepEqual(trailers, [[tess], [{ name: 'Reviewed-by', value: 'Rob <rob@example.org>' }, tess], [tess]]);
  });

  test('trailers need a person with an address; the name is written as b4 writes it', () => {
    assert.deepEqual(reviewTrailers('reviewed-BY:  Ann <ann@example.org>  \nAcked-by: me\nTested-by: <x@y.z>'), [
      { name: 'Reviewed-by', value: 'Ann <ann@example.org>' },
      { name: 'Tested-by', value: '<x@y.z>' },
    ]);
  });
});
