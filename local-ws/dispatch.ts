import {
  clientMethods,
  ErrorCode,
  IncomingEnvelope,
  isClientMethod,
  ProtocolError,
  type ClientCall,
  type WireError,
} from '../protocol';
import { handleCall } from './handlers';
import type { JoinContext } from './join';
import { createLogger } from './log';
import type { Peer } from './Peer';

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

/** Frames held while an async call (a join) runs; past this the client is flooding. */
const MAX_QUEUED = 256;

/**
 * One inbound text frame. Frames of one connection take effect in the order sent: while an
 * async call runs, later frames wait in the connection's queue.
 */
export function dispatch(ctx: JoinContext, peer: Peer, text: string): void {
  if (peer.queue) {
    if (peer.queue.length < MAX_QUEUED) peer.queue.push(text);
    else peer.fail(null, { code: ErrorCode.RATE_LIMITED, message: 'too many frames queued' });
    return;
  }
  run(ctx, peer, text);
}

function drain(ctx: JoinContext, peer: Peer): void {
  const held = peer.queue ?? [];
  peer.queue = null;
  while (held.length > 0) {
    run(ctx, peer, held.shift()!);
    if (peer.queue) {
      (peer.queue as string[]).push(...held);
      return;
    }
  }
}

/** parse → envelope → rate limit → method → params → handler → answer; failures get codes. */
function run(ctx: JoinContext, peer: Peer, text: string): void {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    peer.fail(null, { code: ErrorCode.PARSE_ERROR, message: 'not JSON' });
    return;
  }
  const env = IncomingEnvelope.safeParse(msg);
  if (!env.success) {
    peer.fail(idOf(msg), { code: ErrorCode.INVALID_REQUEST, message: describe(env.error.issues) });
    return;
  }
  const { method } = env.data;
  const id = env.data.type === 'request' ? env.data.id : null;
  const admitted = peer.admit();
  if (!admitted.ok) {
    const error = {
      code: ErrorCode.RATE_LIMITED,
      message: 'too many messages',
      retryAfterMs: admitted.retryAfterMs,
    };
    peer.fail(id, error, method);
    return;
  }
  if (!isClientMethod(method)) {
    peer.fail(
      id,
      { code: ErrorCode.UNKNOWN_METHOD, message: `unknown method ${method.slice(0, 64)}` },
      method,
    );
    return;
  }
  const params = clientMethods[method].params.safeParse(env.data.params ?? {});
  if (!params.success) {
    peer.fail(
      id,
      { code: ErrorCode.INVALID_PARAMS, message: describe(params.error.issues) },
      method,
    );
    return;
  }
  const call = { method, params: params.data } as ClientCall;
  try {
    const result = handleCall(ctx, peer, call);
    if (result instanceof Promise) {
      peer.queue = [];
      result
        .then(
          (r: unknown) => answer(peer, id, r),
          (err: unknown) => peer.fail(id, toWireError(err), method),
        )
        .finally(() => drain(ctx, peer));
    } else {
      answer(peer, id, result);
    }
  } catch (err) {
    peer.fail(id, toWireError(err), method);
  }
}

function answer(peer: Peer, id: number | null, result: unknown): void {
  if (id !== null) peer.respond(id, result);
}

function toWireError(err: unknown): WireError {
  if (err instanceof ProtocolError) {
    return err.retryAfterMs === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, retryAfterMs: err.retryAfterMs };
  }
  log.error('handler failed', err);
  return { code: ErrorCode.INTERNAL, message: 'internal error' };
}
