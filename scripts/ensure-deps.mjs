// Makes a fresh clone runnable: npm packages from the lockfile (without the Electron binary
// download, which is not reachable everywhere) and, for tests, Debian's Chromium and fonts.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const APT_PACKAGES = ['chromium', 'fonts-noto-color-emoji', 'fonts-noto-cjk'];
const wantBrowser = process.argv.includes('--browser');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Lectern needs Node >= 20.19 (this is ${process.versions.node}).`);
  process.exit(1);
}

const stamp = 'node_modules/.package-lock.json';
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync('package-lock.json').mtimeMs) {
  console.log('Installing npm packages (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
}

if (wantBrowser && !existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`Installing ${APT_PACKAGES.join(' ')} from Debian…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES], {
      stdio: 'inherit',
      env,
    });
  } else {
    console.error(`Browser tests need Chromium: sudo apt-get install ${APT_PACKAGES.join(' ')}`);
    process.exit(1);
  }
}
