// A real VS Code (code-server) on loopback with the packaged extension installed and a clean profile. Every
// file it writes goes under one temp dir; it runs in its own process group and is stopped as a group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../servers/ports';
import { CODE_SERVER, NODE24 } from './e2eTools';

export interface CodeServerOptions {
  vsix: string;
  /** Test-only helper extensions installed beside it (helperExtension.ts). */
  helpers?: string[];
  /** User settings.json content (merged over settings that keep the workbench quiet). */
  settings?: Record<string, unknown>;
  /** The opened folder's .vscode/settings.json: what a repository written by a stranger may say. */
  workspaceSettings?: Record<string, unknown>;
  /** Extra environment for the extension host, which inherits code-server's. */
  env?: Record<string, string>;
  /** Fixed port (the demo prints its URL); a free one otherwise. */
  port?: number;
  /** Keep the profile directory (the demo's), instead of a temp dir removed at stop. */
  home?: string;
}

export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly home: string,
    private readonly ownsHome: boolean,
    readonly log: () => string,
  ) {}

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const home = options.home ?? mkdtempSync(join(tmpdir(), 'letterbox-vscode-'));
    const dirs = {
      userData: join(home, 'user-data'),
      extensions: join(home, 'extensions'),
      tmp: join(home, 'tmp'),
      workspace: join(home, 'workspace'),
    };
    Object.values(dirs).forEach((dir) => mkdirSync(dir, { recursive: true }));
    mkdirSync(join(dirs.userData, 'User'), { recursive: true });
    if (options.workspaceSettings) {
      mkdirSync(join(dirs.workspace, '.vscode'), { recursive: true });
      writeFileSync(
        join(dirs.workspace, '.vscode', 'settings.json'),
        JSON.stringify(options.workspaceSettings, null, 2),
      );
    }
    writeFileSync(
      join(dirs.userData, 'User', 'settings.json'),
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'chat.disableAIFeatures': true,
          'workbench.secondarySideBar.defaultVisibility': 'hidden',
          'security.workspace.trust.enabled': false,
          'telemetry.telemetryLevel': 'off',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          // The profile lives inside this repository's ignored .cache: VS Code must not offer to open our own repo.
          'git.openRepositoryInParentFolders': 'never',
          ...options.settings,
        },
        null,
        2,
      ),
    );
    const port = options.port ?? (await freePort());
    const configFile = join(home, 'config.yaml');
    writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      PATH: `${join(NODE24, 'bin')}:${process.env.PATH}`,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_CACHE_HOME: join(home, '.cache'),
      TMPDIR: dirs.tmp,
      NODE_COMPILE_CACHE: join(home, '.cache', 'node'),
    };
    const bin = join(CODE_SERVER, 'out', 'node', 'entry.js');
    const node = join(NODE24, 'bin', 'node');
    const common = ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
    for (const vsix of [options.vsix, ...(options.helpers ?? [])]) {
      const install = spawnSync(node, [bin, ...common, '--install-extension', vsix, '--force'], {
        env,
        encoding: 'utf8',
      });
      if (install.status !== 0)
        throw new Error(`installing ${vsix} into code-server failed: ${install.stderr || install.stdout}`);
    }
    let output = '';
    const child = spawn(
      node,
      [
        bin,
        ...common,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        dirs.workspace,
      ],
      {
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const server = new CodeServer(child, `http://127.0.0.1:${port}/`, home, !options.home, () => output);
    await server.waitForHealth(60_000);
    return server;
  }

  private async waitForHealth(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`code-server exited (${this.child.exitCode}): ${this.log()}`);
      try {
        const response = await fetch(`${this.url}healthz`);
        if (response.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`code-server did not answer on ${this.url} within ${timeoutMs / 1000} s: ${this.log()}`);
  }

  /** Stops code-server with everything it started (file watchers, extension host) by process group. */
  async stop(options: { keepLogsIn?: string } = {}): Promise<void> {
    if (this.child.pid && this.child.exitCode === null) {
      try {
        process.kill(-this.child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (options.keepLogsIn) {
      // VS Code's logs (the extension host's, and the Letterbox channel) explain a failed run after the fact.
      cpSync(join(this.home, 'user-data', 'logs'), options.keepLogsIn, { recursive: true, force: true });
      writeFileSync(join(options.keepLogsIn, 'code-server.log'), this.log());
    }
    if (this.ownsHome) rmSync(this.home, { recursive: true, force: true });
  }
}
