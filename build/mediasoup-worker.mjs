#!/usr/bin/env node
// Builds the mediasoup 3.12.16 worker offline from the C++ sources in its npm tarball, against
// Debian's libraries, for machines that cannot reach GitHub or PyPI (the README's SFU section).
// On an ordinary machine `npm install` downloads a prebuilt worker and this script does nothing.
//
//   node build/mediasoup-worker.mjs          build into the cache if needed, print the binary path
//   node build/mediasoup-worker.mjs --place  also put it where the installed package looks for it
//
// Needs (apt): meson ninja-build pkg-config g++ libssl-dev libuv1-dev libsrtp2-dev libusrsctp-dev
// libabsl-dev nlohmann-json3-dev. The result is cached in ~/.cache/lectern, keyed by version.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const VERSION = '3.12.16';
const root = path.resolve(import.meta.dirname, '..');
const cacheDir = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
  'lectern',
  `mediasoup-worker-${VERSION}`,
);
const cachedBin = path.join(cacheDir, 'mediasoup-worker');
const installedBin = path.join(root, 'node_modules/mediasoup/worker/out/Release/mediasoup-worker');

const log = (msg) => process.stderr.write(`mediasoup-worker: ${msg}\n`);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 2, 2] });

/** True when the binary exists and answers like a mediasoup worker. */
function works(bin) {
  if (!fs.existsSync(bin)) return false;
  try {
    execFileSync(bin, ['--version'], { stdio: 'pipe', env: { MEDIASOUP_VERSION: VERSION } });
    return true;
  } catch (err) {
    // The worker prints its version and exits 0 only when spawned by mediasoup (it expects
    // its channel fds); a missing library makes the loader fail with exit 127 instead.
    return err.status !== 127 && !String(err.stderr).includes('error while loading');
  }
}

/** worker/meson.build: system dependencies instead of wraps, no tests or fuzzer. */
function patchWorkerMeson(file) {
  const text = fs.readFileSync(file, 'utf8');
  const cut = text.indexOf("cpp = meson.get_compiler('cpp')");
  if (cut < 0) throw new Error(`unexpected ${file}: no compiler line`);
  const head = text
    .slice(0, cut)
    .replace(/meson_version: '>= [\d.]+'/, "meson_version: '>= 1.0.0'");
  const tail = `cpp = meson.get_compiler('cpp')

openssl_dep = dependency('openssl')
nlohmann_json_dep = dependency('nlohmann_json')
libuv_dep = dependency('libuv')
libsrtp2_dep = dependency('libsrtp2')
usrsctp_dep = dependency('usrsctp')
absl_deps = [
  dependency('absl_flat_hash_map'),
  dependency('absl_flat_hash_set'),
  dependency('absl_btree'),
  dependency('absl_inlined_vector'),
  dependency('absl_memory'),
  dependency('absl_strings'),
  dependency('absl_optional'),
]
srtp2_include = '-I' + libsrtp2_dep.get_variable(pkgconfig: 'includedir') / 'srtp2'

libwebrtc_include_directories = include_directories('include')
subdir('deps/libwebrtc')

executable(
  'mediasoup-worker',
  build_by_default: true,
  dependencies: [openssl_dep, nlohmann_json_dep, libuv_dep, libsrtp2_dep, usrsctp_dep, libwebrtc_dep] + absl_deps,
  sources: common_sources + ['src/main.cpp'],
  include_directories: include_directories('include'),
  cpp_args: cpp_args + ['-DMS_EXECUTABLE', srtp2_include],
)
`;
  fs.writeFileSync(file, head + tail);
}

/** worker/deps/libwebrtc/meson.build: the same system dependencies. */
function patchLibwebrtcMeson(file) {
  let text = fs.readFileSync(file, 'utf8');
  const replacements = [
    [/abseil_cpp_proj = subproject\([\s\S]*?\n\)\n/, ''],
    [/openssl_proj\.get_variable\('openssl_dep'\)/g, 'openssl_dep'],
    [/nlohmann_json_proj\.get_variable\('nlohmann_json_dep'\)/g, 'nlohmann_json_dep'],
    [/libuv_proj\.get_variable\('libuv_dep'\)/g, 'libuv_dep'],
    [/abseil_cpp_proj\.get_variable\('absl_strings_dep'\)/g, 'absl_deps'],
    [/\s*abseil_cpp_proj\.get_variable\('absl_types_dep'\),/g, ''],
  ];
  for (const [pattern, value] of replacements) {
    const next = text.replace(pattern, value);
    if (next === text) throw new Error(`unexpected ${file}: ${pattern} not found`);
    text = next;
  }
  fs.writeFileSync(file, text);
}

function build() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mediasoup-build-'));
  try {
    log(`building ${VERSION} from the npm tarball in ${work} (3-5 minutes)`);
    run('npm', ['pack', `mediasoup@${VERSION}`, '--silent'], work);
    run('tar', ['xzf', `mediasoup-${VERSION}.tgz`], work);
    const worker = path.join(work, 'package/worker');
    patchWorkerMeson(path.join(worker, 'meson.build'));
    patchLibwebrtcMeson(path.join(worker, 'deps/libwebrtc/meson.build'));
    run('meson', ['setup', 'build', '--buildtype=release', '-Db_ndebug=true'], worker);
    run('ninja', ['-C', 'build', 'mediasoup-worker'], worker);
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.copyFileSync(path.join(worker, 'build/mediasoup-worker'), `${cachedBin}.tmp`);
    fs.chmodSync(`${cachedBin}.tmp`, 0o755);
    fs.renameSync(`${cachedBin}.tmp`, cachedBin);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function main() {
  const place = process.argv.includes('--place');
  if (works(installedBin) && !fs.existsSync(cachedBin)) {
    log(`the installed package already has a worker: ${installedBin}`);
    process.stdout.write(`${installedBin}\n`);
    return;
  }
  if (!works(cachedBin)) build();
  if (place && fs.existsSync(path.dirname(path.dirname(path.dirname(installedBin))))) {
    fs.mkdirSync(path.dirname(installedBin), { recursive: true });
    fs.copyFileSync(cachedBin, installedBin);
    fs.chmodSync(installedBin, 0o755);
    log(`placed at ${installedBin}`);
  }
  process.stdout.write(`${cachedBin}\n`);
}

main();
