// Applies a patch series with the user's own git, as b4 shazam does: on a new branch (named after the series and
// its revision) from the series' base commit or HEAD, `git am -3` with the review trailers added to each commit
// message. Git's hooks never run (core.hooksPath points nowhere: nothing from a mail executes), a dirty work tree
// is refused before anything changes, and a failed `am` is aborted and the branch removed, so the repository is as
// it was, with git's own message. VS Code-free.
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GitError, runGit as run, withoutCarriageReturns } from './git';
import type { Trailer } from './trailers';

export interface PatchToApply {
  /** The patch mail as received (RFC 5322, as git format-patch wrote it). */
  raw: Buffer;
  /** Trailers from the reviews, added to the commit message. */
  trailers: Trailer[];
}

export interface ApplyRequest {
  /** The repository's work tree. */
  repo: string;
  branch: string;
  /** Where the branch starts (the cover letter's base-commit:); HEAD when absent or unknown here. */
  base?: string;
  patches: PatchToApply[];
  /** The git to run; "git" on PATH. */
  git?: string;
}

export interface ApplyResult {
  branch: string;
  commits: number;
  /** The base the branch started from, and whether it was the one asked for. */
  base: string;
  baseFound: boolean;
}

export async function applySeries(request: ApplyRequest): Promise<ApplyResult> {
  const git = (...args: string[]) => run(request.git ?? 'git', request.repo, args);
  await git('rev-parse', '--is-inside-work-tree').catch((error: unknown) => {
    throw error instanceof GitError && /not found/.test(error.message)
      ? error
      : new GitError(`${request.repo} is not a git repository`);
  });
  if ((await git('status', '--porcelain', '--untracked-files=no')).trim())
    throw new GitError(`${request.repo} has uncommitted changes: commit or stash them, then apply the series again`);
  // The user's own am, rebase, merge or cherry-pick in progress is theirs: never continued, never aborted by ours.
  for (const state of ['rebase-apply', 'rebase-merge', 'MERGE_HEAD', 'CHERRY_PICK_HEAD']) {
    const path = (await git('rev-parse', '--git-path', state)).trim();
    if (
      await access(resolve(request.repo, path)).then(
        () => true,
        () => false,
      )
    )
      throw new GitError(
        `${request.repo} is in the middle of a git am, rebase, merge or cherry-pick: finish or abort it, then apply the series again`,
      );
  }
  await git('check-ref-format', '--branch', request.branch).catch(() => {
    throw new GitError(`"${request.branch}" is not a valid branch name`);
  });
  if (
    await git('rev-parse', '--verify', '--quiet', `refs/heads/${request.branch}`).then(
      () => true,
      () => false,
    )
  )
    throw new GitError(`the branch ${request.branch} exists already: delete or rename it, then apply the series again`);
  const wanted = request.base && /^[0-9a-f]{7,64}$/i.test(request.base) ? request.base : undefined;
  const baseFound = wanted
    ? await git('rev-parse', '--verify', '--quiet', `${wanted}^{commit}`).then(
        () => true,
        () => false,
      )
    : false;
  const base = (await git('rev-parse', baseFound ? `${wanted}^{commit}` : 'HEAD')).trim();
  const onBranch = (await git('symbolic-ref', '-q', '--short', 'HEAD').catch(() => '')).trim();
  const original = onBranch ? ['--no-guess', onBranch] : ['--detach', (await git('rev-parse', 'HEAD')).trim()];
  const work = await mkdtemp(join(tmpdir(), 'letterbox-am-'));
  try {
    const mbox = join(work, 'series.mbox');
    await writeFile(mbox, await mboxOf(request, work));
    await git('switch', '--quiet', '--create', request.branch, base);
    try {
      await git('am', '--3way', '--quiet', mbox);
    } catch (error) {
      // Back to where the user was: no am in progress, no half-applied branch.
      await git('am', '--abort').catch(() => undefined);
      await git('switch', '--quiet', ...original).catch(() => undefined);
      await git('branch', '-D', request.branch).catch(() => undefined);
      const output = error instanceof GitError ? error.output : String(error);
      throw new GitError(`git am could not apply the series; nothing was changed.\n${output.trim()}`, output);
    }
    const commits = Number((await git('rev-list', '--count', `${base}..HEAD`)).trim());
    return { branch: request.branch, commits, base, baseFound };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The patches as one mbox, each with its trailers added where git would put them (before the --- line). */
async function mboxOf(request: ApplyRequest, work: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const [index, patch] of request.patches.entries()) {
    // As git am's mailsplit would: a server's CRLF lines become LF (trailers are added to LF text).
    let raw = withoutCarriageReturns(patch.raw);
    if (patch.trailers.length) {
      const file = join(work, `patch-${index}.eml`);
      await writeFile(file, raw);
      const args = ['interpret-trailers', '--in-place', '--if-exists', 'addIfDifferent'];
      for (const trailer of patch.trailers) args.push('--trailer', `${trailer.name}: ${trailer.value}`);
      await run(request.git ?? 'git', request.repo, [...args, file]);
      raw = await readFile(file);
    }
    // An mbox "From " line starts each message (git am splits on it).
    const text = raw.toString('latin1');
    parts.push(Buffer.from(text.startsWith('From ') ? '' : 'From letterbox Mon Sep 17 00:00:00 2001\n', 'latin1'));
    parts.push(raw, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** The base commit a cover letter names (git format-patch --base, b4): "base-commit: <sha>". */
export function baseCommitOf(text: string): string | undefined {
  return /^base-commit:\s*([0-9a-f]{7,64})\s*$/im.exec(text)?.[1];
}

/** A branch name for a series: its title made safe, and its revision ("review/frobnicate-the-widgets-v2"). */
export function branchNameFor(title: string, version: number): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return `review/${slug || 'series'}-v${version}`;
}
