import {
  clientMethods,
  ErrorCode,
  IncomingEnvelope,
  isClientMethod,
  ProtocolError,
  type ClientMethod,
  type WireError,
} from '../protocol';
import { safeParseExact } from '../protocol/exact';
import { createLogger } from '../server-kit/log';
import type { Connection } from './Connection';
import { handlers, type Handler } from './handlers';
import type { Member } from './Member';
import type { RelayContext } from './RelayContext';

const log = createLogger('relay');

function idOf(msg: unknown): number | null {
  const id = (msg as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

function describe(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return 'invalid';
  return `${first.path.map(String).join('.') || '(root)'}: ${first.message}`;
}

/** What a frame over its sender's rate limit is answered. */
function rateLimited(retryAfterMs: number): WireError {
  return { code: ErrorCode.RATE_LIMITED, message: 'too many messages', retryAfterMs };
}

/** `error` for a frame the rate limit admitted; the refusal for one it did not. */
function unlessRefused(admitted: ReturnType<Connection['admit']>, error: WireError): WireError {
  return admitted.ok ? error : rateLimited(admitted.retryAfterMs);
}

/** Frames held while an async call (a join) runs; past this the client is flooding. */
const MAX_QUEUED = 256;

/**
 * One inbound text frame. Frames of one connection take effect in the order sent: while an
 * async call runs, later frames wait in the connection's queue.
 */
export function dispatch(ctx: RelayContext, conn: Connection, text: string): void {
  // Nothing is done for a connection that is gone (closed for flooding, or as a slow reader).
  if (!conn.isOpen) return;
  if (conn.queue) {
    if (conn.queue.length < MAX_QUEUED) {
      conn.queue.push(text);
      return;
    }
    // Past the queue a frame is refused, and charged like any other (queued ones are charged
    // when they run): a flood behind an async call is closed, not answered frame by frame.
    const error = { code: ErrorCode.RATE_LIMITED, message: 'too many frames queued' };
    conn.fail(null, unlessRefused(conn.admit(), error));
    return;
  }
  run(ctx, conn, text);
}

function drain(ctx: RelayContext, conn: Connection): void {
  const held = conn.queue ?? [];
  conn.queue = null;
  while (held.length > 0 && conn.isOpen) {
    run(ctx, conn, held.shift()!);
    if (conn.queue) {
      (conn.queue as string[]).push(...held);
      return;
    }
  }
}

/** The caller a handler's guard asks for, or NOT_JOINED / NOT_TEACHER. */
function caller(conn: Connection, guard: 'member' | 'teacher'): Member {
  const m = conn.member;
  if (!m) throw new ProtocolError(ErrorCode.NOT_JOINED, 'join a room first');
  if (guard === 'teacher' && m.role !== 'teacher') {
    throw new ProtocolError(ErrorCode.NOT_TEACHER, 'teachers only');
  }
  return m;
}

/**
 * A binary frame. Nothing in the protocol is binary, but it is charged like any frame: a member
 * sending them at wire speed is refused, then closed, as any flood is.
 */
export function dispatchBinary(conn: Connection): void {
  if (!conn.isOpen) return;
  const error = { code: ErrorCode.PARSE_ERROR, message: 'binary frames are not accepted' };
  conn.fail(null, unlessRefused(conn.admit(), error));
}

/**
 * rate limit → parse → envelope → method → params → guard → handler → answer; failures get
 * codes. Every frame is charged before anything is read of it, whatever it holds: one that is
 * not JSON or not an envelope costs its sender a token too.
 */
function run(ctx: RelayContext, conn: Connection, text: string): void {
  const admitted = conn.admit();
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    conn.fail(null, unlessRefused(admitted, { code: ErrorCode.PARSE_ERROR, message: 'not JSON' }));
    return;
  }
  const env = safeParseExact(IncomingEnvelope, msg);
  if (!env.success) {
    conn.fail(
      idOf(msg),
      unlessRefused(admitted, {
        code: ErrorCode.INVALID_REQUEST,
        message: describe(env.error.issues),
      }),
    );
    return;
  }
  const { method } = env.data;
  const id = env.data.type === 'request' ? env.data.id : null;
  if (!admitted.ok) {
    conn.fail(id, rateLimited(admitted.retryAfterMs), method);
    return;
  }
  if (!isClientMethod(method)) {
    conn.fail(
      id,
      { code: ErrorCode.UNKNOWN_METHOD, message: `unknown method ${method.slice(0, 64)}` },
      method,
    );
    return;
  }
  const params = safeParseExact(clientMethods[method].params, env.data.params ?? {});
  if (!params.success) {
    conn.fail(
      id,
      { code: ErrorCode.INVALID_PARAMS, message: describe(params.error.issues) },
      method,
    );
    return;
  }
  // The table is typed per method; TypeScript cannot correlate `method` with `params.data`
  // across the union, so the one erased view of a handler is taken here.
  const handler = handlers[method] as Handler<ClientMethod>;
  try {
    const result =
      handler.guard === 'connection'
        ? handler.run(ctx, conn, params.data)
        : handler.run(ctx, caller(conn, handler.guard), params.data, conn);
    if (result instanceof Promise) {
      conn.queue = [];
      result
        .then(
          (r: unknown) => answer(conn, id, r),
          (err: unknown) => conn.fail(id, toWireError(err), method),
        )
        .finally(() => drain(ctx, conn));
    } else {
      answer(conn, id, result);
    }
  } catch (err) {
    conn.fail(id, toWireError(err), method);
  }
}

function answer(conn: Connection, id: number | null, result: unknown): void {
  if (id !== null) conn.respond(id, result);
}

function toWireError(err: unknown): WireError {
  if (err instanceof ProtocolError) {
    return err.retryAfterMs === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, retryAfterMs: err.retryAfterMs };
  }
  log.error({ err }, 'handler failed');
  return { code: ErrorCode.INTERNAL, message: 'internal error' };
}
