// Packs a test-only helper extension (a folder under test/e2e/) into a VSIX with the repository's own vsce, for
// code-server to install beside Letterbox. Nothing of it is in Letterbox's package.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export function packHelperExtension(folder: string): string {
  const work = mkdtempSync(join(tmpdir(), 'letterbox-helper-'));
  const source = join(work, 'extension');
  cpSync(join(__dirname, folder), source, { recursive: true });
  writeFileSync(join(source, 'README.md'), 'A test-only helper of the Letterbox end-to-end tests.\n');
  const vsix = join(work, `${folder}.vsix`);
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--allow-missing-repository',
      '--skip-license',
      '--out',
      vsix,
    ],
    { cwd: source, stdio: 'pipe' },
  );
  return vsix;
}
