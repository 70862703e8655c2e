// npm run bench:media / bench:sfu: runs a benchmark file in a private network namespace when
// possible (everything on 127.0.0.1, nothing reaches the machine's other interfaces).
import { runIsolated } from './isolate.mjs';

const [file, ...args] = process.argv.slice(2);
process.exit(runIsolated([process.execPath, '--import', 'tsx', file, ...args]));
