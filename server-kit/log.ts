/**
 * Logging for the Node processes (room host, cloud, Electron main): pino, JSON lines with a
 * level, a time and the module's context (`ctx`). Every logger writes to one destination that the
 * process may redirect once (the desktop app sends everything, the relay's lines included, to its
 * rotating log file, which *Export diagnostics* reads). Quiet below `warn` unless LECTERN_LOG says
 * otherwise (`debug`, `info`, `warn`, `error`, `silent`).
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

function levelFromEnv(): string {
  const asked = process.env['LECTERN_LOG'];
  return asked !== undefined && LEVELS.has(asked) ? asked : 'warn';
}

/** Forwards to whatever destination is current, so loggers made at import time follow a switch. */
class SwitchableDestination implements DestinationStream {
  target: DestinationStream = pino.destination({ fd: 2, sync: true });
  write(line: string): void {
    this.target.write(line);
  }
}

const destination = new SwitchableDestination();
const root = pino(
  {
    level: levelFromEnv(),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.err },
  },
  destination,
);

/** One logger per module: `createLogger('relay')` writes lines with `"ctx":"relay"`. */
export function createLogger(context: string, bindings: Record<string, unknown> = {}): Logger {
  return root.child({ ctx: context, ...bindings });
}

/**
 * Sends every logger's lines to `target` from now on (and, when given, at `level`). Returns the
 * previous destination.
 */
export function setLogDestination(target: DestinationStream, level?: string): DestinationStream {
  const previous = destination.target;
  destination.target = target;
  if (level !== undefined && LEVELS.has(level)) root.level = level;
  return previous;
}

/** The current level of every logger (for diagnostics). */
export function logLevel(): string {
  return root.level;
}

/** An error as a log field (`log.warn(errField(err), 'what failed')`). */
export function errField(err: unknown): { err: unknown } {
  return { err };
}
