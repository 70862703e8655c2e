/**
 * One received stream's jitter buffer and processing (receive to render), means per emitted
 * sample or frame: what bench/av/pages.ts returns and bench/av/run.ts prints. A module of types
 * only, so both the page's (web) and the runner's (Node) type-checks can read it.
 */
export interface Received {
  kind: string;
  codec: string;
  delayMs: number;
  targetMs: number;
  minimumMs: number;
  /** RFC 3550 interarrival jitter as the receiver sees it. */
  arrivalJitterMs: number;
  processingMs: number;
}
