// Applying a series with the real git: `git format-patch --cover-letter -v2 -3` from one repository, applied to a
// clone at the base. A new branch with the three commits, their subjects and the review's trailer; a conflicting
// base, a dirty work tree and a hostile patch leave the repository as it was (git status clean, the user's
// branch checked out, no new branch); git's hooks never run; a subject full of shell syntax is only text.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applySeries, baseCommitOf, branchNameFor, type PatchToApply } from '../../src/patches/gitApply';
import { filesOfDiff, safePath, seriesSnapshots } from '../../src/patches/patchSnapshots';
import { git, GIT_IDENTITY, sendSeries } from '../support/patchSeries';

const ENV = { ...process.env, ...GIT_IDENTITY };
const savedEnv = { ...process.env };

let dir: string;
let upstream: string;
/** The v2 series' patch mails (without the cover letter), as format-patch wrote them. */
let patches: Buffer[];
let cover: string;
let count = 0;

/** A fresh clone of the upstream at main: the maintainer's repository. */
function maintainerRepo(): string {
  const repo = join(dir, `maintainer-${count++}`);
  execFileSync('git', ['clone', '-q', '--branch', 'main', upstream, repo], { env: ENV });
  return repo;
}

function state(repo: string) {
  return {
    status: git(repo, 'status', '--porcelain'),
    branch: git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim(),
    head: git(repo, 'rev-parse', 'HEAD').trim(),
    branches: git(repo, 'branch', '--format=%(refname:short)').trim().split('\n').sort(),
  };
}

const plain = (raw: Buffer): PatchToApply => ({ raw, trailers: [] });

/** Patch `index` of the series as the diff view gets it (the earlier ones applied first). */
async function patchSnapshot(request: { repo: string; base: string; patches: Buffer[]; index: number }) {
  const all = await seriesSnapshots({ ...request, upTo: request.index });
  return all[request.index]!;
}

before(() => {
  // The test's git identity reaches the git that applySeries runs, as the user's own configuration would.
  Object.assign(process.env, ENV);
  dir = mkdtempSync(join(tmpdir(), 'letterbox-git-apply-'));
  const sent = sendSeries(dir);
  upstream = sent.upstream;
  cover = sent.cover.toString('utf8');
  patches = sent.patches;
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const key of Object.keys(ENV)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

describe('Apply Series (git am)', () => {
  test("a new branch at the series' base with its three commits and the review's trailer", async () => {
    const repo = maintainerRepo();
    const base = baseCommitOf(cover);
    assert.equal(base, git(repo, 'rev-parse', 'main').trim(), 'the cover letter names its base');
    const branch = branchNameFor('Frobnicate the widgets', 2);
    assert.equal(branch, 'review/frobnicate-the-widgets-v2');
    const result = await applySeries({
      repo,
      branch,
      base,
      patches: [
        plain(patches[0]!),
        { raw: patches[1]!, trailers: [{ name: 'Reviewed-by', value: 'Rob Reviewer <rob@example.org>' }] },
        plain(patches[2]!),
      ],
    });
    assert.deepEqual(result, { branch, commits: 3, base, baseFound: true });
    assert.equal(state(repo).branch, branch);
    assert.equal(state(repo).status, '');
    assert.deepEqual(git(repo, 'log', '--format=%s', 'main..HEAD').trim().split('\n'), [
      'docs: describe frobbing',
      'widget: call frob()',
      'widget: add frob()',
    ]);
    const second = git(repo, 'log', '-1', '--format=%B', 'HEAD~1');
    assert.match(second, /Signed-off-by: Ann Author <ann@example\.org>\nReviewed-by: Rob Reviewer <rob@example\.org>/);
    assert.doesNotMatch(git(repo, 'log', '-1', '--format=%B', 'HEAD'), /Reviewed-by/, 'only on the patch reviewed');
    assert.equal(git(repo, 'log', '-1', '--format=%an', 'HEAD').trim(), 'Ann Author', 'the author stays the author');
  });

  test('a base that conflicts: git am is aborted, the branch is gone, the work tree is as it was', async () => {
    const repo = maintainerRepo();
    writeFileSync(join(repo, 'widget.c'), 'int widget(void)\n{\n\treturn 42;\n}\n');
    git(repo, 'commit', '-qam', 'widget: return the answer');
    const before = state(repo);
    await assert.rejects(
      applySeries({ repo, branch: 'review/frob-v2', patches: patches.map(plain) }),
      /git am could not apply the series; nothing was changed\.\n[\s\S]*(conflict|patch failed|does not apply)/i,
    );
    assert.deepEqual(state(repo), before);
    assert.equal(existsSync(join(repo, '.git', 'rebase-apply')), false, 'no am in progress');
  });

  test("the user's own git am in progress is left alone: refused, never aborted", async () => {
    const repo = maintainerRepo();
    writeFileSync(join(repo, 'widget.c'), 'int widget(void)\n{\n\treturn 42;\n}\n');
    git(repo, 'commit', '-qam', 'widget: return the answer');
    // The user's am stops at a patch that does not apply, waiting for them to resolve it.
    const mbox = join(dir, 'user.mbox');
    writeFileSync(mbox, Buffer.concat(patches.slice(1, 2)));
    assert.throws(() => execFileSync('git', ['am', mbox], { cwd: repo, env: ENV, stdio: 'pipe' }));
    const inProgress = join(repo, '.git', 'rebase-apply');
    assert.equal(existsSync(inProgress), true);
    await assert.rejects(
      applySeries({ repo, branch: 'review/frob-v2', patches: patches.map(plain) }),
      /is in the middle of a git am, rebase, merge or cherry-pick: finish or abort it/,
    );
    assert.equal(existsSync(inProgress), true, "the user's am is still there to resume");
    assert.equal(git(repo, 'branch', '--list', 'review/*'), '');
  });

  test('a work tree with changes is refused before anything happens', async () => {
    const repo = maintainerRepo();
    writeFileSync(join(repo, 'widget.c'), 'changed\n');
    const before = state(repo);
    await assert.rejects(
      applySeries({ repo, branch: 'review/frob-v2', patches: patches.map(plain) }),
      /has uncommitted changes: commit or stash them/,
    );
    assert.deepEqual(state(repo), before);
  });

  test("hostile mail: a path out of the repository, shell syntax in the subject, the repository's hooks", async () => {
    const repo = maintainerRepo();
    const marker = join(dir, 'pwned');
    // A hook that would run on git am if hooks ran.
    writeFileSync(join(repo, '.git', 'hooks', 'applypatch-msg'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    writeFileSync(join(repo, '.git', 'hooks', 'post-applypatch'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    const escape = Buffer.from(
      [
        'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
        'From: Mallory <mallory@example.org>',
        'Date: Mon, 7 Dec 2026 10:00:00 +0000',
        'Subject: [PATCH] escape',
        '',
        '---',
        'diff --git a/../../outside.txt b/../../outside.txt',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/../../outside.txt',
        '@@ -0,0 +1 @@',
        '+owned',
        '',
      ].join('\n'),
    );
    const before = state(repo);
    await assert.rejects(
      applySeries({ repo, branch: 'review/escape-v1', patches: [plain(escape)] }),
      /nothing was changed/,
    );
    assert.deepEqual(state(repo), before);
    assert.equal(existsSync(join(dir, 'outside.txt')), false);

    const shell = `$(touch ${marker}) \`touch ${marker}\`; touch ${marker}`;
    const patch = Buffer.from(
      patches[2]!
        .toString('utf8')
        .replace('Subject: [PATCH v2 3/3] docs: describe frobbing', `Subject: [PATCH] ${shell}`),
    );
    const result = await applySeries({ repo, branch: branchNameFor(shell, 1), patches: [plain(patch)] });
    assert.equal(result.commits, 1);
    assert.equal(git(repo, 'log', '-1', '--format=%s').trim(), shell, 'the subject is only text');
    assert.match(result.branch, /^review\/[a-z0-9-]+-v1$/);
    assert.equal(existsSync(marker), false, 'no hook and no shell ran');
  });

  test('without git: a clear message', async () => {
    await assert.rejects(
      applySeries({ repo: dir, branch: 'x', patches: [], git: join(dir, 'no-such-git') }),
      /git was not found .*: install git, or put it on the PATH/,
    );
  });
});

describe('A patch as files before and after it (the diff view)', () => {
  test("patch 2 of 3 at the series' base, after patch 1; the repository untouched", async () => {
    const repo = maintainerRepo();
    const before = state(repo);
    const index = readFileSync(join(repo, '.git', 'index'));
    const base = baseCommitOf(cover)!;
    const second = await patchSnapshot({ repo, base, patches, index: 1 });
    assert.match(second.message, /^widget: call frob\(\)\n\nSigned-off-by: Ann Author/);
    assert.deepEqual(second.files, [
      {
        path: 'widget.c',
        status: 'modified',
        before: 'int widget(void)\n{\n\treturn 0;\n}\n',
        after: 'int widget(void)\n{\n\treturn frob();\n}\n',
      },
    ]);
    const first = await patchSnapshot({ repo, base, patches, index: 0 });
    assert.deepEqual(first.files, [{ path: 'frob.c', status: 'added', after: 'int frob(void) { return 1; }\n' }]);
    assert.deepEqual(state(repo), before);
    assert.deepEqual(readFileSync(join(repo, '.git', 'index')), index, "the repository's index is not touched");
  });

  test('patches as an IMAP server gives them back (CRLF lines) are read and applied as git am reads them', async () => {
    const repo = maintainerRepo();
    const crlf = patches.map((raw) => Buffer.from(raw.toString('utf8').replace(/\r?\n/g, '\r\n')));
    const second = await patchSnapshot({ repo, base: 'HEAD', patches: crlf, index: 1 });
    assert.equal(second.files[0]?.after, 'int widget(void)\n{\n\treturn frob();\n}\n');
    const result = await applySeries({
      repo,
      branch: 'review/crlf-v2',
      patches: crlf.map((raw, index) => ({
        raw,
        trailers: index === 1 ? [{ name: 'Reviewed-by', value: 'Rob <rob@example.org>' }] : [],
      })),
    });
    assert.equal(result.commits, 3);
    assert.match(
      git(repo, 'log', '-1', '--format=%B', 'HEAD~1'),
      /Signed-off-by: Ann Author <ann@example\.org>\nReviewed-by: Rob <rob@example\.org>\n/,
    );
    assert.doesNotMatch(git(repo, 'show', 'HEAD~1:widget.c'), /\r/);
  });

  test('a base the series does not apply to, and a path out of the repository, say so', async () => {
    const repo = maintainerRepo();
    writeFileSync(join(repo, 'widget.c'), 'int widget(void)\n{\n\treturn 42;\n}\n');
    git(repo, 'commit', '-qam', 'widget: return the answer');
    await assert.rejects(patchSnapshot({ repo, base: 'HEAD', patches, index: 1 }), /patch 2 does not apply at HEAD/);
    const escape = Buffer.from(
      'From: M <m@example.org>\nSubject: [PATCH] x\n\n---\ndiff --git a/../x b/../x\nnew file mode 100644\n--- /dev/null\n+++ b/../x\n@@ -0,0 +1 @@\n+x\n',
    );
    await assert.rejects(
      patchSnapshot({ repo, base: 'HEAD', patches: [escape], index: 0 }),
      /patch 1 names a path outside the repository \(\.\.\/x\)/,
    );
  });

  test('file names and kinds from a diff; unsafe paths', () => {
    const diff = [
      'diff --git a/old.c b/new.c',
      'similarity index 90%',
      'rename from old.c',
      'rename to new.c',
      'diff --git a/gone.c b/gone.c',
      'deleted file mode 100644',
      'diff --git a/logo.png b/logo.png',
      'Binary files a/logo.png and b/logo.png differ',
    ].join('\n');
    assert.deepEqual(filesOfDiff(diff), [
      { path: 'new.c', oldPath: 'old.c', status: 'renamed' },
      { path: 'gone.c', status: 'deleted' },
      { path: 'logo.png', status: 'binary' },
    ]);
    for (const path of ['../etc/passwd', '/etc/passwd', 'a/../../b', '.git/hooks/pre-commit', 'C:/x', ''])
      assert.equal(safePath(path), false, path);
    assert.equal(safePath('src/widget.c'), true);
  });
});
