// The cloud control server, locally: one process with its embedded store (no Redis needed).
// Builds the console on first use, then runs cloud/cli.ts with any arguments given after --.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

execFileSync(process.execPath, ['scripts/ensure-deps.mjs'], { stdio: 'inherit' });
if (!existsSync('out/console/index.html')) {
  execFileSync('npm', ['run', 'build:console', '--silent'], { stdio: 'inherit' });
}
const child = spawn('npx', ['tsx', 'cloud/cli.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
