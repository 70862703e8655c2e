/**
 * On a process that serves part of a large class's receivers without holding its link (an
 * "edge"): the room's producers come from the holder's home router over one SRTP pipe between
 * the two processes, each producer once, when a receiver here first consumes it. The pipe's
 * ends are set up through ProcessRpc ('pipe.open', 'pipe.producer'); the holder says when a
 * producer it piped is gone ('pipe.closed').
 */
import type { types } from 'mediasoup';
import { rejected, type SfuOptions } from '../../server-kit/sfuConfig';
import type { ProcessRpc } from './ProcessRpc';

/** One end of a pipe between two processes. */
export interface PipeEnd {
  ip: string;
  port: number;
  srtpParameters: Record<string, unknown>;
}

export interface PipedProducer {
  kind: types.MediaKind;
  rtpParameters: Record<string, unknown>;
  paused: boolean;
}

/** A pipe transport for another process of the cloud, on `router`. */
export function createProcessPipe(
  router: types.Router,
  options: SfuOptions,
): Promise<types.PipeTransport> {
  return router.createPipeTransport({
    listenIp: {
      ip: options.listenIp,
      ...(options.announcedIp && { announcedIp: options.announcedIp }),
    },
    enableSrtp: true,
    enableRtx: false,
  });
}

export function endOf(t: types.PipeTransport, options: SfuOptions): PipeEnd {
  return {
    ip: options.announcedIp ?? t.tuple.localIp,
    port: t.tuple.localPort,
    srtpParameters: { ...t.srtpParameters! },
  };
}

/** Connects this end to the other (its key: the suite mediasoup's pipes use, as it gave it). */
export async function connectPipe(t: types.PipeTransport, other: PipeEnd): Promise<void> {
  await t.connect({
    ip: other.ip,
    port: other.port,
    srtpParameters: other.srtpParameters as unknown as types.SrtpParameters,
  });
}

export class EdgePipe {
  private pipe: Promise<types.PipeTransport> | null = null;
  private readonly pulling = new Map<string, Promise<types.Producer>>();

  constructor(
    private readonly roomId: string,
    /** The process holding the room's link (its home router has the producers). */
    readonly holder: string,
    private readonly rpc: ProcessRpc,
    private readonly options: SfuOptions,
  ) {}

  /** The producer piped here (once; concurrent callers wait for the same). */
  pull(router: types.Router, producerId: string): Promise<types.Producer> {
    let pulling = this.pulling.get(producerId);
    if (!pulling) {
      pulling = this.start(router, producerId);
      this.pulling.set(producerId, pulling);
      pulling.then(
        (p) => p.observer.once('close', () => this.pulling.delete(producerId)),
        () => this.pulling.delete(producerId),
      );
    }
    return pulling;
  }

  private async start(router: types.Router, producerId: string): Promise<types.Producer> {
    const pipe = await this.transport(router);
    const piped = await this.rpc.call<PipedProducer>(this.holder, 'pipe.producer', {
      roomId: this.roomId,
      producerId,
    });
    return pipe
      .produce({
        id: producerId,
        kind: piped.kind,
        rtpParameters: piped.rtpParameters as unknown as types.RtpParameters,
        paused: piped.paused,
      })
      .catch((err: unknown) => {
        throw rejected(err instanceof Error ? err.message : String(err));
      });
  }

  /** This end of the pipe, and the holder's connected to it (once per room here). */
  private transport(router: types.Router): Promise<types.PipeTransport> {
    if (!this.pipe) {
      const made = (async () => {
        const t = await createProcessPipe(router, this.options);
        const other = await this.rpc.call<PipeEnd>(this.holder, 'pipe.open', {
          roomId: this.roomId,
          end: endOf(t, this.options),
        });
        await connectPipe(t, other);
        return t;
      })();
      made.catch(() => {
        if (this.pipe === made) this.pipe = null;
      });
      this.pipe = made;
    }
    return this.pipe;
  }

  close(): void {
    void this.pipe?.then((t) => t.close()).catch(() => undefined);
    this.pipe = null;
  }
}
