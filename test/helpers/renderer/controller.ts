import WebSocket from 'ws';
import { AppController } from '../../../renderer/src/controller/AppController';
import type { ControllerDeps } from '../../../renderer/src/controller/deps';
import type { SocketLike } from '../../../renderer/src/signaling/SignalingClient';

/**
 * A page's controller running under Node against a real relay: `ws` sockets instead of the
 * browser's, no screen capture (media is tested in Chromium), a fixed 1280 px viewport.
 */
export function nodeController(port: number, opts: { statsIntervalMs?: number } = {}) {
  const reloads: number[] = [];
  const deps: ControllerDeps = {
    location: { protocol: 'http:', host: `127.0.0.1:${port}`, search: '' },
    // ws speaks the DOM event API the client uses.
    connect: (url) => new WebSocket(url) as unknown as SocketLike,
    captureScreen: () => Promise.reject(new Error('no screen capture under Node')),
    viewport: { width: () => 1280, pixelRatio: () => 1, onResize: () => () => undefined },
    reload: () => reloads.push(Date.now()),
    ...(opts.statsIntervalMs !== undefined && { statsIntervalMs: opts.statsIntervalMs }),
  };
  return { app: new AppController(deps), reloads };
}
