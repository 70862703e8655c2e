/**
 * Brings the SFU path in line with what the policy wants: publish these shares, receive these
 * producers, drop the rest. Idempotent; called after every room change. Layers follow the
 * window's size.
 */
import { createLog } from '../log';
import { preferredLayer } from './layers';
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
  receive: { producerId: string; streamId: string }[];
}

type LocalShare = (streamId: string) => { track: MediaStreamTrack; maxBitrate: number } | undefined;

export class SfuSync {
  private readonly receiving = new Set<string>();
  private readonly publishing = new Set<string>();
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
      this.path
        .produce(shareId, local.track, local.maxBitrate)
        // Not published (refused, or reset meanwhile): the next change tries again.
        .catch((err: unknown) => log.info(`share ${shareId} not published on the SFU`, err))
        .finally(() => {
          if (!this.path.isProducing(shareId)) this.publishing.delete(shareId);
        });
    }

    const receive = new Set(wish.receive.map((r) => r.producerId));
    for (const producerId of [...this.receiving]) {
      if (receive.has(producerId)) continue;
      this.receiving.delete(producerId);
      this.path.dropConsumer(producerId);
    }
    for (const { producerId, streamId } of wish.receive) {
      if (this.receiving.has(producerId)) continue;
      this.receiving.add(producerId);
      this.path
        .consume(producerId, streamId)
        .then(() => this.path.setLayer(producerId, this.layer()))
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
    this.path.reset();
  }

  private layer(): number {
    return preferredLayer(this.viewport.width(), this.viewport.pixelRatio());
  }

  private updateLayers(): void {
    for (const producerId of this.receiving) {
      void this.path
        .setLayer(producerId, this.layer())
        .catch((err: unknown) => log.info('layer not changed', err));
    }
  }
}
