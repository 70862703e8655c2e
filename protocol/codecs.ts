import { z } from 'zod';

/** Video codecs a sharer may prefer; the browser's offer decides which exist. */
export const CODECS = ['VP8', 'VP9', 'H264', 'AV1'] as const;
export const CodecName = z.enum(CODECS);
export type CodecName = z.infer<typeof CodecName>;
/** VP8: the cheapest software encoder, decoded everywhere. */
export const DEFAULT_CODEC: CodecName = 'VP8';

/** A stored preference: a codec, or `auto` (the default codec). */
export const CodecPreference = z.enum(['auto', ...CODECS]);
export type CodecPreference = z.infer<typeof CodecPreference>;

export function codecFor(preference: CodecPreference): CodecName {
  return preference === 'auto' ? DEFAULT_CODEC : preference;
}
