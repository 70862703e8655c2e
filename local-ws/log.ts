/** One logger per module with a context prefix; quiet unless LECTERN_LOG is set or level ≥ warn. */
export interface Logger {
  debug(msg: string, ...rest: unknown[]): void;
  info(msg: string, ...rest: unknown[]): void;
  warn(msg: string, ...rest: unknown[]): void;
  error(msg: string, ...rest: unknown[]): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = keyof typeof LEVELS;

function threshold(): number {
  const env = process.env['LECTERN_LOG'] as Level | undefined;
  return env && env in LEVELS ? LEVELS[env] : LEVELS.warn;
}

export function createLogger(context: string): Logger {
  const min = threshold();
  const at =
    (level: Level, sink: (...a: unknown[]) => void) =>
    (msg: string, ...rest: unknown[]) => {
      if (LEVELS[level] >= min) sink(`[${context}] ${msg}`, ...rest);
    };
  return {
    debug: at('debug', console.debug),
    info: at('info', console.info),
    warn: at('warn', console.warn),
    error: at('error', console.error),
  };
}
