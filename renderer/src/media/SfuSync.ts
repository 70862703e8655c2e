/**
 * Brings the SFU path in line with what the policy wants: publish these shares, receive these
 * producers, drop the rest. Idempotent; called after every room change. Layers follow the
 * window's size.
 */
import { createLog } from '../log';
import { preferredLayer } from './layers';
import type { LocalTracks } from './MediaEngine';
import type { SfuPath } from './SfuPath';

const log = createLog('sfu');

/** The window this page shows videos in (its width picks the simulcast layer). */
export interface Viewport {
  width(): number;
  pixelRatio(): number;
  /** Calls back when the size changes; returns the unsubscribe function. */
  onResize(listener: () => void): () => void;
}

export interface SfuWish {
  publish: { shareId: string; streamId: string }[];
  receive: { producerId: string; streamId: string; kind: 'audio' | 'video' }[];
}

type LocalShare = (streamId: string) => LocalTracks | undefined;

export class SfuSync {
  private readonly receiving = new Set<string>();
  /** Share ids being published (each of its tracks is published once). */
  private readonly publishing = new Set<string>();
  /** Producer ids of audio consumers (no simulcast layers to pick). */
  private readonly audio = new Set<string>();
  /** Producer id → stream id of video consumers, and how far each stream is zoomed in. */
  private readonly streamOf = new Map<string, string>();
  private readonly zoom = new Map<string, number>();
  private resizeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly path: SfuPath,
    private readonly localShare: LocalShare,
    private readonly viewport: Viewport,
  ) {
    viewport.onResize(() => {
      clearTimeout(this.resizeTimer);
      this.resizeTimer = setTimeout(() => this.updateLayers(), 300);
    });
  }

  apply(wish: SfuWish): void {
    const publish = new Set(wish.publish.map((p) => p.shareId));
    for (const shareId of [...this.publishing]) {
      if (publish.has(shareId)) continue;
      this.publishing.delete(shareId);
      this.path.stopProducing(shareId);
    }
    for (const { shareId, streamId } of wish.publish) {
      if (this.publishing.has(shareId)) continue;
      const local = this.localShare(streamId);
      if (!local) continue;
      this.publishing.add(shareId);
      const tracks = [local.audio, local.video].filter((t) => t !== undefined);
      void Promise.allSettled(
        tracks.map((track) =>
          this.path
            .produce(shareId, track, local)
            // Not published (refused, or reset meanwhile): the next change tries again.
            .catch((err: unknown) =>
              log.info(`share ${shareId} ${track.kind} not published on the SFU`, err),
            ),
        ),
      ).then(() => {
        if (!tracks.every((t) => this.path.isProducing(shareId, t.kind as 'audio' | 'video'))) {
          this.publishing.delete(shareId);
        }
      });
    }

    const receive = new Set(wish.receive.map((r) => r.producerId));
    for (const producerId of [...this.receiving]) {
      if (receive.has(producerId)) continue;
      this.receiving.delete(producerId);
      this.audio.delete(producerId);
      this.streamOf.delete(producerId);
      this.path.dropConsumer(producerId);
    }
    for (const { producerId, streamId, kind } of wish.receive) {
      if (this.receiving.has(producerId)) continue;
      this.receiving.add(producerId);
      if (kind === 'audio') this.audio.add(producerId);
      else this.streamOf.set(producerId, streamId);
      this.path
        .consume(producerId, streamId)
        .then(() =>
          kind === 'video' ? this.path.setLayer(producerId, this.layer(producerId)) : undefined,
        )
        .catch((err: unknown) => {
          log.info(`producer ${producerId} not received; the next change tries again`, err);
          this.receiving.delete(producerId);
        });
    }
  }

  /** The SFU's state is gone (worker restart, new relay): start over on the next apply. */
  reset(): void {
    this.publishing.clear();
    this.receiving.clear();
    this.audio.clear();
    this.streamOf.clear();
    this.path.reset();
  }

  /**
   * A viewer zoomed into a stream (1 = fit): a zoomed-in picture needs the layer of its zoomed
   * size, so zooming in is sharp.
   */
  setZoom(streamId: string, scale: number): void {
    if ((this.zoom.get(streamId) ?? 1) === scale) return;
    if (scale <= 1) this.zoom.delete(streamId);
    else this.zoom.set(streamId, scale);
    clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => this.updateLayers(), 150);
  }

  private layer(producerId: string): number {
    const stream = this.streamOf.get(producerId);
    const zoom = stream ? (this.zoom.get(stream) ?? 1) : 1;
    return preferredLayer(this.viewport.width() * zoom, this.viewport.pixelRatio());
  }

  private updateLayers(): void {
    for (const producerId of this.receiving) {
      if (this.audio.has(producerId)) continue;
      void this.path
        .setLayer(producerId, this.layer(producerId))
        .catch((err: unknown) => log.info('layer not changed', err));
    }
  }
}
