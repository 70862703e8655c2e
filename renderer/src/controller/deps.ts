import type { QualityPreset } from '../../../protocol';
import type { Viewport } from '../media/SfuSync';
import type { SocketLike } from '../signaling/SignalingClient';
import type { MediaDevicesLike } from './Av';
import type { StorageLike } from './rememberedRooms';

/**
 * What the controller needs from its surroundings. A page passes the browser's (see
 * `browserDeps`); Node tests pass `ws` sockets and plain values, so the controller's session,
 * moderation and reporting run there against a real relay.
 */
export interface ControllerDeps {
  /** Where the page was served from (the relay is at its host unless an address is typed). */
  location: { protocol: string; host: string; search: string };
  /** Opens a WebSocket to the relay. */
  connect(url: string): SocketLike;
  /** Opens the screen picker and captures, with the sound when asked (getDisplayMedia). */
  captureScreen(preset: QualityPreset, audio: boolean): Promise<MediaStream>;
  /**
   * The size a screen capture will have: the display's in device pixels, or `?capture=`. Absent
   * where the page cannot capture the screen.
   */
  screenSize?(): { width: number; height: number };
  /** Microphones, cameras, loudspeakers; absent where the page cannot capture (insecure). */
  media?: MediaDevicesLike;
  viewport: Viewport;
  /** Reloads the page (the operator asked the room screen to). */
  reload(): void;
  /** How often stats are sampled (reports go to the relay every 10 samples). */
  statsIntervalMs?: number;
  /** Where remembered rooms are kept (the page's localStorage). */
  storage?: StorageLike;
}

/** Optional capture size for diagnostics and tests, e.g. ?capture=1920x1080 (default: native). */
function captureSize(search: string): { width: number; height: number } | null {
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(new URLSearchParams(search).get('capture') ?? '');
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/** The browser page's surroundings. */
export function browserDeps(): ControllerDeps {
  return {
    location: window.location,
    connect: (url) => new WebSocket(url),
    captureScreen: (preset, audio) => {
      const size = captureSize(window.location.search);
      const frameRate = preset === 'smooth' ? 60 : 30;
      // A tab's sound in Chromium browsers; the whole system's where the OS allows it (Windows,
      // ChromeOS); Electron answers with its loopback on Windows (main/capture.ts).
      return navigator.mediaDevices.getDisplayMedia({
        video: size ? { ...size, frameRate } : { frameRate },
        audio: audio ? { suppressLocalAudioPlayback: false } : false,
        ...(audio && { systemAudio: 'include' }),
      } as DisplayMediaStreamOptions);
    },
    ...(window.isSecureContext && navigator.mediaDevices !== undefined
      ? {
          // Only where the screen can be shared (not on phones).
          ...('getDisplayMedia' in navigator.mediaDevices && {
            screenSize: () =>
              captureSize(window.location.search) ?? {
                width: Math.round(window.screen.width * window.devicePixelRatio),
                height: Math.round(window.screen.height * window.devicePixelRatio),
              },
          }),
          media: {
            getUserMedia: (c) => navigator.mediaDevices.getUserMedia(c),
            enumerateDevices: () => navigator.mediaDevices.enumerateDevices(),
            onDeviceChange: (listener) =>
              navigator.mediaDevices.addEventListener('devicechange', listener),
          },
        }
      : {}),
    viewport: {
      width: () => window.innerWidth,
      pixelRatio: () => window.devicePixelRatio,
      onResize: (listener) => {
        window.addEventListener('resize', listener);
        return () => window.removeEventListener('resize', listener);
      },
    },
    reload: () => window.location.reload(),
    ...localStorageIfAny(),
  };
}

/** The page's localStorage, unless the browser refuses it (private modes, blocked storage). */
function localStorageIfAny(): { storage?: StorageLike } {
  try {
    return { storage: window.localStorage };
  } catch {
    return {};
  }
}
