import { createLog } from '../log';

const log = createLog('media');

/**
 * A link that is not connected this long after it opened counts as failed (ICE alone may take
 * 30 s to give up, far too long for a lesson to wait); one that dropped, this long after.
 */
export const P2P_CONNECT_MS = 10_000;
export const P2P_RECONNECT_MS = 3_000;

/** An RTCPeerConnection's connectionState. */
type LinkState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/**
 * Which remote devices this page reaches P2P: a link that fails, or is not connected
 * P2P_CONNECT_MS after opening or P2P_RECONNECT_MS after dropping, marks its device unreachable
 * until the device leaves or that link connects after all.
 * The policy then carries what the two exchange through the SFU (a lesson's fallback).
 * Links are told apart by identity (the engine passes its peer connection); only their states
 * are read, so the decisions run under Node as they do in the page.
 */
export class P2pReach {
  private readonly unreachable = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly links = new Map<string, { link: object; state: LinkState }>();
  private readonly listeners = new Set<() => void>();

  /** Whether the link to a device failed (or did not connect in time) since it joined. */
  failed(device: string): boolean {
    return this.unreachable.has(device);
  }

  /** Whether the link to a device is connected now. */
  connected(device: string): boolean {
    return this.links.get(device)?.state === 'connected';
  }

  /** Calls back when a link connects, drops or fails; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new link to `device` (replacing any other). */
  opened(device: string, link: object): void {
    this.stopWatching(device);
    this.links.set(device, { link, state: 'new' });
    this.watch(device, link, P2P_CONNECT_MS);
  }

  /** The current link to `device` changed state (a replaced link's states are ignored). */
  state(device: string, link: object, state: LinkState): void {
    const current = this.links.get(device);
    if (current?.link !== link) return;
    current.state = state;
    if (state === 'connected') {
      this.stopWatching(device);
      // A link that connected after its time ran out (a slow TURN allocation, a busy machine)
      // is a path after all: both sides must see the same, or one would send P2P while the
      // other had stopped, each waiting for the other's media.
      if (this.unreachable.delete(device)) log.info(`P2P path to ${device} connected after all`);
    } else if (state === 'disconnected') this.watch(device, link, P2P_RECONNECT_MS);
    if (state === 'failed') this.markUnreachable(device);
    this.changed();
  }

  /** The link to `device` is gone (the device may come back on a new one). */
  closed(device: string): void {
    this.stopWatching(device);
    this.links.delete(device);
  }

  /** The device left: a later one under its id starts afresh. */
  forget(device: string): void {
    this.closed(device);
    this.unreachable.delete(device);
  }

  private markUnreachable(device: string): void {
    if (this.unreachable.has(device)) return;
    log.info(`no P2P path to ${device}: the SFU carries what we exchange`);
    this.unreachable.add(device);
  }

  private watch(device: string, link: object, ms: number): void {
    if (this.timers.has(device)) return;
    this.timers.set(
      device,
      setTimeout(() => {
        this.timers.delete(device);
        const current = this.links.get(device);
        if (current?.link === link && current.state !== 'connected') {
          this.markUnreachable(device);
          this.changed();
        }
      }, ms),
    );
  }

  private stopWatching(device: string): void {
    clearTimeout(this.timers.get(device));
    this.timers.delete(device);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
