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
      this.path.dropConsumer(producerId);
    }
    for (const { producerId, streamId, kind } of wish.receive) {
      if (this.receiving.has(producerId)) continue;
      this.receiving.add(producerId);
      if (kind === 'audio') this.audio.add(producerId);
      this.path
        .consume(producerId, streamId)
        .then(() => (kind === 'video' ? this.path.setLayer(producerId, this.layer()) : undefined))
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
    this.path.reset();
  }

  private layer(): number {
    return preferredLayer(this.viewport.width(), this.viewport.pixelRatio());
  }

  private updateLayers(): void {
    for (const producerId of this.receiving) {
      if (this.audio.has(producerId)) continue;
      void this.path
        .setLayer(producerId, this.layer())
        .catch((err: unknown) => log.info('layer not changed', err));
    }
  }
}
