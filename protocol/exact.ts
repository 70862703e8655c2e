import type { z } from 'zod';
import { clientMethods } from './client';
import { IncomingEnvelope } from './envelope';
import { DeviceMetrics } from './metrics';
import { LIMITS } from './model';

/**
 * Hand-written checks for the few shapes on the hottest paths: a device's metrics report (the
 * relay checks it, and the cloud again), the link's sequenced message, the relay's envelope, and
 * the two calls a class sends most (signal, chat).
 * Each answers true only when the value is valid AND zod would hand back an equal value (no key
 * stripped or added); anything else, valid or not, gets `false` and goes to the zod schema,
 * which stays the one definition of what is accepted and of every error message. So a check
 * may be stricter than its schema, never looser: test/unit/exact.test.ts holds each one to
 * its schema on generated values, and the fuzzer sends the same shapes through the relay.
 *
 * Zod does the same work in about five times the time, and allocates a copy of every object;
 * at tens of thousands of reports a second that was most of the cloud link's cost per message.
 */

/** A plain object as JSON.parse makes them (not an array, not null, no other prototype). */
function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** A finite number in [min, max] (zod's number with min and max). */
function num(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && v >= min && v <= max && Number.isFinite(v);
}

/** A safe integer in [min, max] (zod's number().int() with min and max). */
function int(v: unknown, min: number, max: number): boolean {
  return Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
}

function str(v: unknown, max: number): boolean {
  return typeof v === 'string' && v.length <= max;
}

/** How many keys `v` has, or -1 when one of them is not in `allowed` (zod would strip it). */
function keysIn(v: Record<string, unknown>, allowed: ReadonlySet<string>): number {
  let n = 0;
  for (const k in v) {
    if (!allowed.has(k)) return -1;
    n++;
  }
  return n;
}

/** Absent, or one of the allowed values (an optional enum or nullable number). */
function optional(o: Record<string, unknown>, key: string, ok: (v: unknown) => boolean): boolean {
  return !(key in o) || ok(o[key]);
}

const DIRECTIONS = new Set(['in', 'out']);
const PATHS = new Set(['p2p', 'sfu']);
const KINDS = new Set(['audio', 'video']);
const ROUTES = new Set(['host', 'srflx', 'prflx', 'relay']);
const TRANSPORTS = new Set(['udp', 'tcp']);
const STREAM_KEYS = new Set([
  'id',
  'kind',
  'direction',
  'path',
  'codec',
  'width',
  'height',
  'fps',
  'bitrateKbps',
  'packetsLost',
  'lossRate',
  'jitterMs',
  'rttMs',
  'audioLevel',
  'concealedRatio',
  'route',
  'transport',
]);

const METRICS_KEYS = new Set(['streams', 'iceFailures', 'iceInterruptions']);
const MSG_KEYS = new Set(['t', 's', 'k', 'd', 'b']);
const ENVELOPE_KEYS = new Set(['type', 'method', 'params', 'id']);

const unit = (v: unknown) => v === null || num(v, 0, 1);
const msOrNull = (v: unknown) => v === null || num(v, 0, Infinity);

/** protocol/metrics.ts StreamMetrics. */
function isExactStream(v: unknown): boolean {
  if (!isPlain(v) || keysIn(v, STREAM_KEYS) < 0) return false;
  return (
    str(v.id, LIMITS.idMax) &&
    optional(v, 'kind', (x) => KINDS.has(x as string)) &&
    DIRECTIONS.has(v.direction as string) &&
    PATHS.has(v.path as string) &&
    str(v.codec, 32) &&
    int(v.width, 0, 16384) &&
    int(v.height, 0, 16384) &&
    num(v.fps, 0, 1000) &&
    num(v.bitrateKbps, 0, 10_000_000) &&
    int(v.packetsLost, 0, Number.MAX_SAFE_INTEGER) &&
    num(v.lossRate, 0, 1) &&
    'jitterMs' in v &&
    msOrNull(v.jitterMs) &&
    'rttMs' in v &&
    msOrNull(v.rttMs) &&
    optional(v, 'audioLevel', unit) &&
    optional(v, 'concealedRatio', unit) &&
    optional(v, 'route', (x) => ROUTES.has(x as string)) &&
    optional(v, 'transport', (x) => TRANSPORTS.has(x as string))
  );
}

/**
 * protocol/metrics.ts DeviceMetrics, without a pre-join check result (rare: those go to zod).
 */
export function isExactDeviceMetrics(v: unknown): boolean {
  if (!isPlain(v) || keysIn(v, METRICS_KEYS) !== 3) return false;
  const streams = v.streams;
  if (!Array.isArray(streams) || streams.length > 16) return false;
  for (const s of streams) if (!isExactStream(s)) return false;
  return int(v.iceFailures, 0, 1_000_000) && int(v.iceInterruptions, 0, 1_000_000);
}

/** protocol/upstream.ts Msg: a sequenced message frame (its body is checked by kind later). */
export function isExactMsg(v: unknown): boolean {
  return (
    isPlain(v) &&
    keysIn(v, MSG_KEYS) === 5 &&
    v.t === 'm' &&
    int(v.s, 1, Number.MAX_SAFE_INTEGER) &&
    str(v.k, 32) &&
    str(v.d, LIMITS.idMax) &&
    v.b !== undefined
  );
}

/** protocol/envelope.ts IncomingEnvelope: a request or a notification from a LAN device. */
export function isExactEnvelope(v: unknown): boolean {
  if (!isPlain(v)) return false;
  const keys = keysIn(v, ENVELOPE_KEYS);
  if (keys < 0 || !str(v.method, 64)) return false;
  if ('params' in v && v.params === undefined) return false;
  const fixed = 'params' in v ? 3 : 2;
  if (v.type === 'notification') return keys === fixed && !('id' in v);
  return v.type === 'request' && keys === fixed + 1 && int(v.id, 0, Number.MAX_SAFE_INTEGER);
}

const CANDIDATE_KEYS = new Set(['candidate', 'sdpMid', 'sdpMLineIndex', 'usernameFragment']);
const DESCRIPTION_KEYS = new Set(['type', 'sdp']);
const SIGNAL_PARAMS_KEYS = new Set(['to', 'session', 'signal']);
const CANDIDATE_SIGNAL_KEYS = new Set(['kind', 'candidate']);
const DESCRIPTION_SIGNAL_KEYS = new Set(['kind', 'description']);
const KIND_KEYS = new Set(['kind']);
const TEXT_KEYS = new Set(['text']);
const DESCRIPTION_TYPES = new Set(['offer', 'answer', 'pranswer', 'rollback']);
const idOrNull = (x: unknown) => x === null || str(x, LIMITS.idMax);

/** protocol/model.ts IceCandidate, or null (the end of candidates). */
function isExactCandidate(v: unknown): boolean {
  if (v === null) return true;
  if (!isPlain(v) || keysIn(v, CANDIDATE_KEYS) < 0) return false;
  return (
    str(v.candidate, LIMITS.candidateMax) &&
    optional(v, 'sdpMid', idOrNull) &&
    optional(v, 'sdpMLineIndex', (x) => x === null || int(x, 0, 255)) &&
    optional(v, 'usernameFragment', idOrNull)
  );
}

/** protocol/model.ts SessionDescription. */
function isExactDescription(v: unknown): boolean {
  if (!isPlain(v) || keysIn(v, DESCRIPTION_KEYS) < 0) return false;
  return (
    DESCRIPTION_TYPES.has(v.type as string) && optional(v, 'sdp', (x) => str(x, LIMITS.sdpMax))
  );
}

/**
 * The `signal` call's params: ICE candidates, descriptions and restarts, the relay's most
 * frequent message while media start (view reports go to zod).
 */
export function isExactSignalParams(v: unknown): boolean {
  if (!isPlain(v) || keysIn(v, SIGNAL_PARAMS_KEYS) < 0) return false;
  const to = v.to;
  if (!str(to, LIMITS.idMax) || (to as string).length === 0) return false;
  if (!optional(v, 'session', (x) => str(x, LIMITS.idMax))) return false;
  const signal = v.signal;
  if (!isPlain(signal)) return false;
  switch (signal.kind) {
    case 'candidate':
      return keysIn(signal, CANDIDATE_SIGNAL_KEYS) === 2 && isExactCandidate(signal.candidate);
    case 'description':
      return (
        keysIn(signal, DESCRIPTION_SIGNAL_KEYS) === 2 && isExactDescription(signal.description)
      );
    case 'restart':
      return keysIn(signal, KIND_KEYS) === 1;
    default:
      return false;
  }
}

/** The `chat` call's params: text zod's trim would leave as it is. */
export function isExactChatParams(v: unknown): boolean {
  if (!isPlain(v) || keysIn(v, TEXT_KEYS) !== 1) return false;
  const text = v.text;
  return (
    typeof text === 'string' &&
    text.length >= 1 &&
    text.length <= LIMITS.chatMax &&
    text.trim() === text
  );
}

/** The schemas that have a check here. */
const CHECKS = new Map<z.ZodType, (v: unknown) => boolean>([
  [DeviceMetrics, isExactDeviceMetrics],
  [IncomingEnvelope, isExactEnvelope],
  [clientMethods.signal.params, isExactSignalParams],
  [clientMethods.chat.params, isExactChatParams],
]);

/** `schema.parse(value)`, answered without zod when the value passes its exact check. */
export function parseExact<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  return CHECKS.get(schema)?.(value) === true ? (value as z.output<T>) : schema.parse(value);
}

/** `schema.safeParse(value)`, answered without zod when the value passes its exact check. */
export function safeParseExact<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.ZodSafeParseResult<z.output<T>> {
  return CHECKS.get(schema)?.(value) === true
    ? { success: true, data: value as z.output<T> }
    : schema.safeParse(value);
}
