// The one way the test tooling installs Debian packages: only as root, and with `apt-get update` first when a
// fresh machine has no package lists yet.
import { execFileSync, spawnSync } from 'node:child_process';

export function aptInstall(packages: string[], purpose: string): void {
  if (!packages.length) return;
  if (process.getuid?.() !== 0)
    throw new Error(
      `${purpose} needs Debian packages this user cannot install. Run: sudo apt-get install ${packages.join(' ')}`,
    );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', ...packages], { env, encoding: 'utf8' });
  let result = install();
  if (result.status !== 0) {
    execFileSync('apt-get', ['update', '-q'], { env, stdio: 'pipe' });
    result = install();
  }
  if (result.status !== 0) throw new Error(`apt-get could not install ${packages.join(' ')}: ${result.stderr}`);
}

export function missingPackages(packages: string[]): string[] {
  return packages.filter(
    (name) =>
      !spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout.includes(
        'install ok installed',
      ),
  );
}
