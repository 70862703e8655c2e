// Makes a fresh clone runnable: npm packages from the lockfile (without the Electron binary
// download, which is not reachable everywhere) and, for tests, Debian's Chromium and fonts.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const APT_PACKAGES = ['chromium', 'fonts-noto-color-emoji', 'fonts-noto-cjk', 'openssl'];
// What build/mediasoup-worker.mjs needs to build the SFU worker offline (see that file).
const WORKER_BUILD_PACKAGES = [
  'meson',
  'ninja-build',
  'pkg-config',
  'g++',
  'libssl-dev',
  'libuv1-dev',
  'libsrtp2-dev',
  'libusrsctp-dev',
  'libabsl-dev',
  'nlohmann-json3-dev',
];
const WORKER = 'node_modules/mediasoup/worker/out/Release/mediasoup-worker';
const aptInstall = (packages) => {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
};
const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
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
    // MEDIASOUP_WORKER_BIN set: mediasoup's postinstall skips its download (placed below).
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', MEDIASOUP_WORKER_BIN: WORKER },
  });
}

// The SFU's worker: machines that cannot download mediasoup's prebuilt one build it offline.
if (existsSync('node_modules/mediasoup') && !existsSync(WORKER)) {
  console.log('No mediasoup worker: building it from the package sources (a few minutes, cached)…');
  if (canApt) aptInstall(WORKER_BUILD_PACKAGES);
  try {
    execFileSync(process.execPath, ['build/mediasoup-worker.mjs', '--place'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {
    console.error(`! could not build the mediasoup worker; the host runs without an SFU.
  Install: sudo apt-get install ${WORKER_BUILD_PACKAGES.join(' ')}`);
  }
}

if (wantBrowser && !existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  if (canApt) {
    console.log(`Installing ${APT_PACKAGES.join(' ')} from Debian…`);
    aptInstall(APT_PACKAGES);
  } else {
    console.error(`Browser tests need Chromium: sudo apt-get install ${APT_PACKAGES.join(' ')}`);
    process.exit(1);
  }
}

// The cloud's scale-out tests run a real redis-server (Debian's).
if (wantBrowser && !existsSync('/usr/bin/redis-server')) {
  if (canApt) {
    console.log('Installing redis-server from Debian…');
    aptInstall(['redis-server']);
  } else {
    console.error('The cloud tests need Redis: sudo apt-get install redis-server');
    process.exit(1);
  }
}

// The tests of media beyond the LAN: coturn (TURN), and nftables for the test internet's NAT
// and firewalls (test/helpers/internet.ts).
const NET_TOOLS = { '/usr/bin/turnserver': 'coturn', '/usr/sbin/nft': 'nftables' };
const missingNet = Object.entries(NET_TOOLS)
  .filter(([bin]) => !existsSync(bin))
  .map(([, pkg]) => pkg);
if (wantBrowser && missingNet.length > 0) {
  if (canApt) aptInstall(missingNet);
  else {
    console.error(
      `The internet tests are skipped without: sudo apt-get install ${missingNet.join(' ')}`,
    );
  }
}
