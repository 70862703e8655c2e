/**
 * One stream of a recording: the host's SFU sends a producer's RTP over a plain transport on
 * 127.0.0.1 to an ffmpeg that copies it into a file, packet for packet (the source's resolution
 * and frame rate, no re-encode). A keyframe is asked for until the file has begun.
 */
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import type { types } from 'mediasoup';
import { createLogger } from '../../server-kit/log';
import { finishFfmpeg, remux, spawnFfmpeg } from './ffmpeg';
import { freeUdpPair } from './ports';
import { consumerSdp, containerFor, RECORDABLE } from './sdp';

const log = createLogger('record');

/** How often a keyframe is asked for until the file has its first frame. */
const KEYFRAME_RETRY_MS = 400;
/** How often the file is looked at meanwhile (its start places it on the class clock). */
const START_POLL_MS = 25;
/** Past this, the stream is given up (ffmpeg never got a frame it could write). */
const START_TIMEOUT_MS = 15_000;

export interface StreamFile {
  /** File name inside the record's folder. */
  file: string;
  kind: types.MediaKind;
  codec: string;
  /** Host clock (ms) when the file's first packet was written, and when it ended. */
  startedAt: number | null;
  endedAt: number | null;
}

export class StreamRecorder {
  readonly info: StreamFile;
  private transport: types.PlainTransport | null = null;
  private ffmpeg: ChildProcess | null = null;
  private finishing: Promise<void> | null = null;
  private stderr = '';
  private changed: () => void = () => undefined;

  private constructor(
    private readonly folder: string,
    private readonly base: string,
    private readonly producer: types.Producer,
    private readonly binary: string,
  ) {
    const codec = producer.rtpParameters.codecs[0]?.mimeType ?? '?';
    this.info = {
      file: `${base}.${containerFor(codec).ext}`,
      kind: producer.kind,
      codec,
      startedAt: null,
      endedAt: null,
    };
  }

  static recordable(producer: types.Producer): boolean {
    const codec = producer.rtpParameters.codecs[0]?.mimeType.toLowerCase();
    return codec !== undefined && RECORDABLE.has(codec);
  }

  /**
   * Starts recording `producer` into `<folder>/<base>.<ext>`. `changed` is called when the
   * file has its first frame and when it is complete (the producer closed, the worker died, or
   * `finish()`).
   */
  static async start(
    router: types.Router,
    producer: types.Producer,
    binary: string,
    folder: string,
    base: string,
    changed: () => void,
  ): Promise<StreamRecorder> {
    const rec = new StreamRecorder(folder, base, producer, binary);
    rec.changed = changed;
    await rec.open(router);
    return rec;
  }

  private async open(router: types.Router): Promise<void> {
    const port = await freeUdpPair();
    const transport = await router.createPlainTransport({
      listenIp: { ip: '127.0.0.1' },
      rtcpMux: false,
      comedia: false,
    });
    this.transport = transport;
    const consumer = await transport.consume({
      producerId: this.producer.id,
      rtpCapabilities: router.rtpCapabilities,
      paused: true,
    });
    const sdpFile = `${this.folder}/${this.base}.sdp`;
    await fs.writeFile(sdpFile, consumerSdp(consumer.rtpParameters, consumer.kind, port), {
      mode: 0o600,
    });
    const { format } = containerFor(this.info.codec);
    const out = `${this.folder}/${this.info.file}`;
    const ffmpeg = spawnFfmpeg(this.binary, [
      ...['-hide_banner', '-loglevel', 'error'],
      ...['-protocol_whitelist', 'file,udp,rtp', '-reorder_queue_size', '2000'],
      // Without this ffmpeg holds the file back for 20 frames to guess a frame rate that the
      // container does not need (670 ms at 30 fps, on top of the wait for a keyframe).
      ...['-fpsprobesize', '0'],
      ...['-i', sdpFile, '-map', '0', '-c', 'copy'],
      // Clusters of one second, each written out at once: a host killed mid-class loses little.
      ...['-flush_packets', '1', '-cluster_time_limit', '1000', '-f', format, '-y', out],
    ]);
    this.ffmpeg = ffmpeg;
    ffmpeg.stderr?.setEncoding('utf8');
    ffmpeg.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-2000);
    });
    ffmpeg.once('exit', (code) => {
      if (!this.finishing) log.warn(`ffmpeg for ${out} exited ${code}: ${this.stderr}`);
      void this.finish();
    });
    consumer.on('producerclose', () => void this.finish());
    consumer.on('transportclose', () => void this.finish());
    await transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 });
    await consumer.resume();
    void this.askKeyframes(consumer, out);
  }

  /** Asks for keyframes until ffmpeg has written the first frame (it needs one to begin). */
  private async askKeyframes(consumer: types.Consumer, out: string): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let asked = 0;
    while (!this.finishing && Date.now() < deadline) {
      if (consumer.kind === 'video' && Date.now() - asked >= KEYFRAME_RETRY_MS) {
        asked = Date.now();
        await consumer.requestKeyFrame().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, START_POLL_MS));
      const size = await fs.stat(out).then(
        (s) => s.size,
        () => 0,
      );
      if (size > 0) {
        this.info.startedAt = Date.now() - START_POLL_MS / 2;
        this.changed();
        return;
      }
    }
    if (!this.finishing) {
      log.warn(`no frame for ${out} in ${START_TIMEOUT_MS} ms: ${this.stderr}`);
      void this.finish();
    }
  }

  /**
   * Lets ffmpeg finish its file (while packets still flow, so it can write its index), then
   * closes the stream's transport. When ffmpeg could not finish (its input had already stopped:
   * the producer closed, the worker died), the file is copied once more to get its index.
   */
  finish(): Promise<void> {
    if (this.finishing) return this.finishing;
    let done!: () => void;
    this.finishing = new Promise<void>((resolve) => (done = resolve));
    void (async () => {
      if (this.ffmpeg) await finishFfmpeg(this.ffmpeg);
      this.transport?.close();
      if (this.info.startedAt !== null && /trailer/i.test(this.stderr)) {
        await remux(this.binary, `${this.folder}/${this.info.file}`).catch((err: unknown) =>
          log.warn({ err }, `${this.info.file} left without its index`),
        );
      }
      this.info.endedAt = Date.now();
      this.changed();
      done();
    })();
    return this.finishing;
  }
}
