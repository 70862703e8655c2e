// The main job. With the Electron binary: the desktop app in room-screen mode. Without it (as on
// machines that cannot download it): the headless room host serving the browser client.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

execFileSync(process.execPath, ['scripts/ensure-deps.mjs'], { stdio: 'inherit' });
const hasElectron = existsSync('node_modules/electron/path.txt');
const npm = (args) => execFileSync('npm', args, { stdio: 'inherit' });
const run = (cmd, args) => {
  const child = spawn(cmd, args, { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
};

if (hasElectron && !process.argv.includes('--headless')) {
  npm(['run', 'build', '--silent']);
  run('npx', ['electron', '.', '--screen', ...process.argv.slice(2)]);
} else {
  if (!hasElectron) console.log('No Electron binary here: starting the headless room host.\n');
  npm(['run', 'build:web', '--silent']);
  run('npx', [
    'tsx',
    'local-ws/cli.ts',
    ...process.argv.slice(2).filter((a) => a !== '--headless'),
  ]);
}
