// A patch series as a contributor sends it: an upstream repository whose branch "frob" has three commits on main,
// sent with `git format-patch --cover-letter --thread --base=main -v2` (cover letter "Frobnicate the widgets"),
// plus a reviewer's reply to patch 2 with a Reviewed-by trailer. For the git tests and the end-to-end test.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Ann Author',
  GIT_AUTHOR_EMAIL: 'ann@example.org',
  GIT_COMMITTER_NAME: 'Mia Maintainer',
  GIT_COMMITTER_EMAIL: 'mia@example.org',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export interface SentSeries {
  upstream: string;
  cover: Buffer;
  patches: Buffer[];
  /** Rob's reply to patch 2: "Reviewed-by: Rob Reviewer <rob@example.org>". */
  review: Buffer;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_IDENTITY } });
}

export function sendSeries(dir: string): SentSeries {
  const upstream = join(dir, 'upstream');
  execFileSync('git', ['init', '-q', '-b', 'main', upstream]);
  writeFileSync(join(upstream, 'widget.c'), 'int widget(void)\n{\n\treturn 0;\n}\n');
  git(upstream, 'add', '.');
  git(upstream, 'commit', '-qm', 'Initial');
  git(upstream, 'checkout', '-qb', 'frob');
  git(upstream, 'config', 'branch.frob.description', 'Frobnicate the widgets\n\nWidgets get frobnicated.');
  const changes: Array<[string, string, string]> = [
    ['frob.c', 'int frob(void) { return 1; }\n', 'widget: add frob()'],
    ['widget.c', 'int widget(void)\n{\n\treturn frob();\n}\n', 'widget: call frob()'],
    ['README', 'Widgets are frobbed.\n', 'docs: describe frobbing'],
  ];
  for (const [file, text, title] of changes) {
    writeFileSync(join(upstream, file), text);
    git(upstream, 'add', '.');
    git(upstream, 'commit', '-qm', `${title}\n\nSigned-off-by: Ann Author <ann@example.org>`);
  }
  const out = join(dir, 'v2');
  git(
    upstream,
    ...['format-patch', '-q', '-3', '-v2', '--cover-letter', '--cover-from-description=subject'],
    ...['--thread', '--base=main', '-o', out],
  );
  git(upstream, 'checkout', '-q', 'main');
  const [cover, ...patches] = readdirSync(out)
    .sort()
    .map((file) => readFileSync(join(out, file)));
  const second = patches[1]!.toString('utf8');
  const id = /^Message-ID: (<[^>]+>)/im.exec(second)![1]!;
  const review = Buffer.from(
    [
      'From: Rob Reviewer <rob@example.org>',
      'Subject: Re: [PATCH v2 2/3] widget: call frob()',
      'Date: Mon, 7 Dec 2026 10:00:00 +0000',
      'Message-ID: <review-1@example.org>',
      `In-Reply-To: ${id}`,
      `References: ${/^In-Reply-To: (<[^>]+>)/im.exec(second)![1]!} ${id}`,
      '',
      'Looks right to me.',
      '',
      'Reviewed-by: Rob Reviewer <rob@example.org>',
      '',
    ].join('\r\n'),
  );
  return { upstream, cover: cover!, patches, review };
}
