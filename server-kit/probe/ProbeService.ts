/**
 * The pre-join check's end on an SFU (the room host's, or the cloud's): a router of its own on
 * the SFU's worker, and a bounded number of short sessions (protocol/probe.ts). The caller
 * decides who may check (the host: any device that reaches it; the cloud: holders of a remote
 * link) and hands over the upgrade; this side bounds what a check costs: sessions at once and
 * per address, 20 s each, 8 Mbit/s in, one video.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { types } from 'mediasoup';
import { WebSocketServer } from 'ws';
import { PROBE_LIMITS } from '../../protocol';
import { rejectUpgrade } from '../http';
import { createLogger } from '../log';
import { MEDIA_CODECS, type SfuOptions } from '../sfuConfig';
import { ProbeSession } from './ProbeSession';

const log = createLogger('probe');

export class ProbeService {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    clientTracking: false,
    maxPayload: PROBE_LIMITS.frameBytes,
  });
  private router: Promise<types.Router> | null = null;
  private readonly sessions = new Set<ProbeSession>();
  private readonly perAddress = new Map<string, number>();
  /** Upgrades waiting for the probe router (counted against the limits too). */
  private starting = 0;
  private closed = false;

  constructor(
    /** The SFU's current worker (started if needed). */
    private readonly worker: () => Promise<types.Worker>,
    private readonly options: SfuOptions,
  ) {}

  /** Checks running now. */
  get running(): number {
    return this.sessions.size;
  }

  /** A WebSocket upgrade for a check from `address` (already allowed by the caller). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, address: string): void {
    if (this.closed) return rejectUpgrade(socket, 503, 'Service Unavailable');
    if (this.sessions.size + this.starting >= PROBE_LIMITS.sessions) {
      return rejectUpgrade(socket, 503, 'Service Unavailable');
    }
    if ((this.perAddress.get(address) ?? 0) >= PROBE_LIMITS.perAddress) {
      return rejectUpgrade(socket, 429, 'Too Many Requests');
    }
    // Counted from now: a burst of upgrades cannot slip past the limits while a router starts.
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n > 0) this.perAddress.set(address, n);
      else this.perAddress.delete(address);
    };
    // Whatever happens to the upgrade (refused, a bad handshake, the session's end), the
    // address gets its turn back when the connection closes.
    socket.once('close', release);
    this.starting++;
    this.probeRouter()
      .then(
        (router) => {
          this.starting--;
          if (this.closed) throw new Error('closed');
          this.wss.handleUpgrade(req, socket, head, (ws) => {
            const session: ProbeSession = new ProbeSession(ws, router, this.options, () =>
              this.sessions.delete(session),
            );
            this.sessions.add(session);
          });
        },
        (err: unknown) => {
          this.starting--;
          throw err;
        },
      )
      .catch((err: unknown) => {
        log.warn({ err }, 'no probe router');
        rejectUpgrade(socket, 503, 'Service Unavailable');
      });
  }

  private probeRouter(): Promise<types.Router> {
    this.router ??= this.worker()
      .then((w) => w.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { probe: true } }))
      .then((router) => {
        // A new worker (the old one died) gets a new probe router on the next check.
        router.observer.once('close', () => (this.router = null));
        return router;
      })
      .catch((err: unknown) => {
        this.router = null;
        throw err;
      });
    return this.router;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of [...this.sessions]) s.close(1001, 'closing');
    this.sessions.clear();
    this.wss.close();
    const router = await this.router?.catch(() => null);
    router?.close();
  }
}
