// npm run bench:media: the media benchmark, in a private network namespace when possible.
import { runIsolated } from './isolate.mjs';

process.exit(
  runIsolated([
    process.execPath,
    '--import',
    'tsx',
    'bench/media/run.ts',
    ...process.argv.slice(2),
  ]),
);
