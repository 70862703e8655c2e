/**
 * The recorder's muxer: ffmpeg, from the `@ffmpeg-installer` package for this platform (a static
 * build inside an npm package, so a host needs no extra install), or `LECTERN_FFMPEG`. It only
 * copies packets (`-c copy`): nothing is decoded or encoded again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** The ffmpeg binary, or null when this platform has none (then recording is unavailable). */
export function ffmpegPath(): string | null {
  const given = process.env.LECTERN_FFMPEG;
  if (given) return existsSync(given) ? given : null;
  try {
    const require = createRequire(import.meta.url);
    const found = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    // In the packaged app the binary is unpacked beside the asar (it cannot run from inside it).
    const file = found.replace(`app.asar${'/'}`, `app.asar.unpacked/`);
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/**
 * Starts ffmpeg so that it always finishes its file: it is told to stop (SIGTERM: it writes the
 * index and closes the file) when our end of its stdin closes, which happens when `finish()` is
 * called and also when this process dies, however it dies. On POSIX a shell stands between us
 * and ffmpeg for that; on Windows ffmpeg's own `q` on stdin does it while we live.
 */
export function spawnFfmpeg(binary: string, args: string[]): ChildProcess {
  if (process.platform === 'win32') {
    return spawn(binary, args, { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true });
  }
  const guard =
    'umask 077; "$0" -nostdin "$@" </dev/null & p=$!; cat >/dev/null; kill -TERM $p 2>/dev/null; ' +
    // A second signal a moment later wakes an ffmpeg that waits for packets that no longer come.
    '(sleep 0.5; kill -INT $p 2>/dev/null) & wait $p';
  return spawn('/bin/sh', ['-c', guard, binary, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Asks a spawned ffmpeg to finish its file and waits for it to exit (killed after `graceMs`). */
export function finishFfmpeg(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (process.platform === 'win32') child.stdin?.end('q');
    else child.stdin?.end();
  });
}

/**
 * Copies a recorded file into itself again (packets as they are) so that it gets the index and
 * duration ffmpeg writes last: for files whose recorder was stopped without finishing them.
 */
export function remux(binary: string, file: string): Promise<void> {
  const ext = file.slice(file.lastIndexOf('.'));
  const tmp = `${file}.tmp${ext}`;
  return new Promise<void>((resolve, reject) => {
    const child = spawn(binary, [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', file],
      ...['-map', '0', '-c', 'copy', '-y', tmp],
    ]);
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-1000)));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(err || `exit ${code}`)),
    );
  }).then(async () => {
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  });
}
