/**
 * One pre-join check on an SFU's probe router: a send transport, a receive transport, the
 * page's video produced on the first and consumed back on the second. Everything it made goes
 * when it closes. Requests come one at a time, each checked against protocol/probe.ts.
 */
import type { types } from 'mediasoup';
import type { WebSocket } from 'ws';
import {
  ErrorCode,
  PROBE_LIMITS,
  ProbeRequest,
  probeMethods,
  ProtocolError,
  type ProbeConsumer,
  type ProbeMethod,
  type ProbeReply,
  type ProbeStart,
} from '../../protocol';
import { createBrowserTransport, guarded, transportInfo, type SfuOptions } from '../sfuConfig';

const isMethod = (m: string): m is ProbeMethod => Object.hasOwn(probeMethods, m);

export class ProbeSession {
  private send: types.WebRtcTransport | null = null;
  private recv: types.WebRtcTransport | null = null;
  private producer: types.Producer | null = null;
  private consumer: types.Consumer | null = null;
  private requests = 0;
  private busy = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    private readonly router: types.Router,
    private readonly options: SfuOptions,
    private readonly ended: () => void,
  ) {
    this.timer = setTimeout(() => this.close(1000, 'check over'), PROBE_LIMITS.sessionMs);
    ws.on('message', (data, binary) => void this.onMessage(data as Buffer, binary));
    ws.on('close', () => this.close());
    ws.on('error', () => this.close());
    // The router goes with its worker: so does the check.
    router.observer.once('close', () => this.close(1011, 'SFU restarted'));
  }

  private async onMessage(data: Buffer, binary: boolean): Promise<void> {
    // One at a time and a handful in all: a check is four requests.
    if (binary || this.busy || ++this.requests > PROBE_LIMITS.requests) {
      this.close(1008, 'one request at a time, and a few');
      return;
    }
    let request: ProbeRequest;
    try {
      request = ProbeRequest.parse(JSON.parse(data.toString('utf8')));
    } catch {
      this.close(1007, 'not a probe request');
      return;
    }
    this.busy = true;
    const reply: ProbeReply = { i: request.i, ok: true };
    try {
      reply.r = await this.call(request);
    } catch (err) {
      reply.ok = false;
      reply.e =
        err instanceof ProtocolError
          ? { code: err.code, message: err.message }
          : { code: ErrorCode.SFU_REJECTED, message: 'the check failed' };
    } finally {
      this.busy = false;
    }
    if (!this.closed) this.ws.send(JSON.stringify(reply));
  }

  private async call(request: ProbeRequest): Promise<unknown> {
    if (!isMethod(request.m)) {
      throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, `no probe method ${request.m}`);
    }
    const parsed = probeMethods[request.m].params.safeParse(request.p);
    if (!parsed.success) throw new ProtocolError(ErrorCode.INVALID_PARAMS, 'bad probe params');
    const p = parsed.data as Record<string, unknown>;
    return guarded(async () => {
      switch (request.m) {
        case 'start':
          return this.start();
        case 'connect':
          return this.connect(String(p['transportId']), p['dtlsParameters']);
        case 'produce':
          return this.produce(p['rtpParameters']);
        case 'consume':
          return this.consume(p['rtpCapabilities']);
        default:
          throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, `no probe method ${request.m}`);
      }
    });
  }

  private async start(): Promise<ProbeStart> {
    if (this.send) throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'already started');
    this.send = await createBrowserTransport(this.router, this.options, 'send');
    this.recv = await createBrowserTransport(this.router, this.options, 'recv');
    await this.send.setMaxIncomingBitrate(PROBE_LIMITS.maxIncomingBitrate);
    if (this.closed) throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'closed');
    return {
      rtpCapabilities: { ...this.router.rtpCapabilities },
      send: transportInfo(this.send),
      recv: transportInfo(this.recv),
    };
  }

  private async connect(transportId: string, dtls: unknown): Promise<object> {
    const transport = [this.send, this.recv].find((t) => t?.id === transportId);
    if (!transport) throw new ProtocolError(ErrorCode.SFU_REJECTED, 'no such transport');
    await transport.connect({ dtlsParameters: dtls as types.DtlsParameters });
    return {};
  }

  private async produce(rtpParameters: unknown): Promise<{ id: string }> {
    if (!this.send || this.producer) {
      throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'one video, after start');
    }
    this.producer = await this.send.produce({
      kind: 'video',
      rtpParameters: rtpParameters as types.RtpParameters,
    });
    return { id: this.producer.id };
  }

  private async consume(caps: unknown): Promise<ProbeConsumer> {
    if (!this.recv || !this.producer || this.consumer) {
      throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'one consumer, after produce');
    }
    const rtpCapabilities = caps as types.RtpCapabilities;
    if (!this.router.canConsume({ producerId: this.producer.id, rtpCapabilities })) {
      throw new ProtocolError(ErrorCode.SFU_REJECTED, 'cannot receive that video');
    }
    this.consumer = await this.recv.consume({ producerId: this.producer.id, rtpCapabilities });
    return {
      id: this.consumer.id,
      producerId: this.producer.id,
      kind: 'video',
      rtpParameters: { ...this.consumer.rtpParameters } as Record<string, unknown>,
    };
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    // Closing the transports closes their producer and consumer.
    this.send?.close();
    this.recv?.close();
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason);
    this.ended();
  }
}
