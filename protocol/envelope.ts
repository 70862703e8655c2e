import { z } from 'zod';
import type { ErrorCode } from './errors';

/**
 * Wire envelope (protoo-style): requests carry an id and get exactly one response; notifications
 * carry none. Errors carry a stable string code.
 */
export const RequestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const IncomingEnvelope = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('request'),
    id: RequestId,
    method: z.string().max(64),
    params: z.unknown().optional(),
  }),
  z.object({
    type: z.literal('notification'),
    method: z.string().max(64),
    params: z.unknown().optional(),
  }),
]);
export type IncomingEnvelope = z.infer<typeof IncomingEnvelope>;

export const WireError = z.object({
  code: z.string(),
  message: z.string(),
  retryAfterMs: z.number().optional(),
});
export type WireError = { code: ErrorCode; message: string; retryAfterMs?: number };

export const ResponseEnvelope = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('response'),
    id: RequestId.nullable(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    type: z.literal('response'),
    id: RequestId.nullable(),
    ok: z.literal(false),
    error: WireError,
  }),
]);

export function encodeNotification(method: string, params: unknown): string {
  return JSON.stringify({ type: 'notification', method, params });
}
export function encodeResult(id: number, result: unknown): string {
  return JSON.stringify({ type: 'response', id, ok: true, result });
}
export function encodeError(id: number | null, error: WireError): string {
  return JSON.stringify({ type: 'response', id, ok: false, error });
}
