/** The benchmark's processes talk over Node's IPC channel: a request, one answer. */
export type Request = { id: number; op: string; args?: Record<string, unknown> };

/** Serves `handlers` on this child's IPC channel. */
export function serve(handlers: Record<string, (args: Record<string, unknown>) => unknown>): void {
  process.on('message', (m: Request) => {
    void Promise.resolve()
      .then(() => handlers[m.op]!(m.args ?? {}))
      .then(
        (result) => process.send!({ id: m.id, result }),
        (err: unknown) => process.send!({ id: m.id, error: String(err) }),
      );
  });
  process.send!({ id: 0, result: 'ready' });
}

/**
 * Milliseconds with sub-ms resolution, comparable across processes: the system's monotonic
 * clock, which every process reads alike. (`performance.timeOrigin` is taken once per process
 * from the wall clock; two processes' origins differed by ~6 ms one day, which made the link's
 * added latency read −6 ms.)
 */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

/** A metrics body of about 200 bytes, as a renderer reports one stream. */
export function metricsBody(n: number) {
  return {
    streams: [
      {
        id: `s${n % 4}`,
        direction: 'in',
        path: 'sfu',
        codec: 'VP8',
        width: 1920,
        height: 1080,
        fps: 30,
        bitrateKbps: 4200,
        packetsLost: n,
        lossRate: 0.001,
        jitterMs: 2.5,
        rttMs: 1.2,
      },
    ],
    iceFailures: 0,
    iceInterruptions: 0,
  };
}
