/**
 * The room screen's lifecycle, apart from Electron so it runs under Node: start the room host
 * (relay + browser client), advertise the room, open the kiosk page, keep it alive through
 * renderer crashes and hangs, and stop everything in order.
 */
import { RoomHost, type RoomHostOptions } from '../local-ws';
import type { RecoveryPolicy, RendererFailure } from './recovery';

/** What screen mode needs from a window (a BrowserWindow in the app). */
export interface ScreenWindow {
  reload(): void;
  /** Show a short notice on the page after a recovery. */
  notice(reason: string): void;
  close(): void;
}

export interface ScreenModeDeps {
  host: RoomHostOptions;
  policy: RecoveryPolicy;
  /** Opens the kiosk page with these query parameters. */
  openWindow(query: Record<string, string>): Promise<ScreenWindow>;
  /** Advertises the room on the LAN; returns the function that stops it. */
  advertise(room: { id: string; name: string; port: number; pin?: string }): () => void;
  /** Keeps the display awake while the screen runs; returns the release function. */
  keepAwake(): () => void;
  log(message: string): void;
  now?(): number;
}

export type ScreenState = 'stopped' | 'starting' | 'running' | 'stopping';

export class ScreenMode {
  private host: RoomHost | null = null;
  private window: ScreenWindow | null = null;
  private stopAdvertising: (() => void) | null = null;
  private releaseAwake: (() => void) | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private stateValue: ScreenState = 'stopped';

  constructor(private readonly deps: ScreenModeDeps) {}

  get state(): ScreenState {
    return this.stateValue;
  }

  get relay() {
    return this.host?.relay ?? null;
  }

  async start(): Promise<{ port: number; code: string }> {
    if (this.stateValue !== 'stopped') throw new Error(`screen mode is ${this.stateValue}`);
    this.stateValue = 'starting';
    const host = new RoomHost(this.deps.host);
    this.host = host;
    const { room, port, tls } = await host.start();
    this.stopAdvertising = this.deps.advertise({
      id: room.id,
      name: room.name,
      port,
      ...(tls && { pin: tls.pin }),
    });
    this.releaseAwake = this.deps.keepAwake();
    this.window = await this.deps.openWindow({
      screen: room.screenKey,
      relay: `127.0.0.1:${port}`,
    });
    this.stateValue = 'running';
    this.deps.log(`screen running: room "${room.name}" on port ${port}`);
    return { port, code: room.code };
  }

  /** The renderer died or hung: reload after the policy's delay, then tell the page. */
  onRendererFailure(reason: RendererFailure | 'clean-exit'): void {
    if (this.stateValue !== 'running' || !this.window) return;
    const decision = this.deps.policy.onFailure(reason, (this.deps.now ?? Date.now)());
    if (decision.action === 'ignore' || this.reloadTimer) return;
    this.deps.log(`renderer ${reason}: reloading in ${decision.delayMs} ms`);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      if (this.stateValue !== 'running' || !this.window) return;
      this.window.reload();
      this.window.notice(reason);
    }, decision.delayMs);
  }

  /** Stops in reverse order; safe to call twice. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped' || this.stateValue === 'stopping') return;
    this.stateValue = 'stopping';
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
    this.stopAdvertising?.();
    this.releaseAwake?.();
    this.window?.close();
    await this.host?.stop();
    this.stopAdvertising = this.releaseAwake = null;
    this.window = null;
    this.host = null;
    this.stateValue = 'stopped';
  }
}
