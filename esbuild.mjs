// Two bundles: the extension host (Node, CommonJS, 'vscode' provided by VS Code) and the message panel's
// webview script (browser). `--watch` rebuilds both on change; `--production` minifies without source maps.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const shared = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
};

const builds = [
  {
    ...shared,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    // imapflow's default logger and proxy client are never used (we pass a logger and our own transport).
    alias: { pino: './build/stubs/pino.cjs', socks: './build/stubs/socks.cjs' },
  },
  {
    ...shared,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

// Stale files (a dev source map in a production VSIX) must never survive a build.
rmSync('dist', { recursive: true, force: true });

// Static files of the panel: its stylesheet and the codicon font that @vscode-elements draws icons with.
function copyStatic() {
  mkdirSync('dist/webview', { recursive: true });
  cpSync('webview/panel.css', 'dist/webview/panel.css');
  cpSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css');
  cpSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf');
}
copyStatic();

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
