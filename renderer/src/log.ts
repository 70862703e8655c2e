/**
 * The page's logger: one per module with a context (`[media]`), to the browser console, and in
 * the desktop app also to the main process's log file (warnings and errors), so an IT admin's
 * *Export diagnostics* shows what went wrong in the page too. Debug lines only with `?debug`.
 */
import { desktop } from './desktop';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Log {
  debug(message: string, err?: unknown): void;
  info(message: string, err?: unknown): void;
  warn(message: string, err?: unknown): void;
  error(message: string, err?: unknown): void;
}

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  // `location` is the page's (absent when the controller runs under Node).
  const search = (globalThis as { location?: { search: string } }).location?.search ?? '';
  return new URLSearchParams(search).has('debug') ? RANK.debug : RANK.info;
}

function describe(err: unknown): string {
  if (err === undefined) return '';
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(err);
}

/* eslint-disable no-console -- this module is the page's one way to the console */
const SINKS: Record<Level, (...args: unknown[]) => void> = {
  debug: console.debug,
  info: console.info,
  warn: console.warn,
  error: console.error,
};
/* eslint-enable no-console */

export function createLog(context: string): Log {
  const min = threshold();
  const at = (level: Level) => (message: string, err?: unknown) => {
    if (RANK[level] < min) return;
    const detail = describe(err);
    const line = detail ? `${message}: ${detail}` : message;
    SINKS[level](`[${context}] ${line}`);
    // A log line that cannot reach the main process has nowhere else to go: the console has it.
    if (RANK[level] >= RANK.warn) void desktop?.log(level, context, line).catch(() => undefined);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
