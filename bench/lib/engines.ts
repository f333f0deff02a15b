// The benchmark engines under bench/engines, bundled the way the extension ships (esbuild, one CommonJS file,
// minified), so Letterbox and its Node peers all start as plain `node script.js` processes.
import { buildSync } from 'esbuild';
import { join } from 'node:path';

export type Engine = 'imapLetterbox' | 'imapflowBare' | 'pop3Wire' | 'pop3Store' | 'pop3Floor' | 'mimeMemory';
const ENGINES: Engine[] = ['imapLetterbox', 'imapflowBare', 'pop3Wire', 'pop3Store', 'pop3Floor', 'mimeMemory'];
const ROOT = join(__dirname, '..', '..');

export function bundleEngines(outDir: string): Record<Engine, string> {
  const paths = {} as Record<Engine, string>;
  for (const engine of ENGINES) {
    paths[engine] = join(outDir, `${engine}.js`);
    buildSync({
      entryPoints: [join(ROOT, 'bench', 'engines', `${engine}.ts`)],
      outfile: paths[engine],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      minify: true,
      alias: { pino: join(ROOT, 'build/stubs/pino.cjs'), socks: join(ROOT, 'build/stubs/socks.cjs') },
      logLevel: 'silent',
    });
  }
  return paths;
}
