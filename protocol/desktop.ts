/**
 * The desktop bridge: the one typed IPC contract between Electron's main process and the
 * renderer (through the preload). Channel names are namespaced and derived from the maps below;
 * the renderer sees only {@link DesktopApi}, never ipcRenderer.
 */

/** A screen or window the user may share, as the picker shows it. */
export interface CaptureSource {
  id: string;
  name: string;
  kind: 'screen' | 'window';
  /** PNG data URL, small (about 320 px wide). */
  thumbnail: string;
  /** The window's app icon as a PNG data URL, when the OS has one. */
  appIcon: string | null;
  /** For screens: the display it shows, for "share the screen this window is on". */
  displayId: string | null;
}

/** A room found on the LAN by DNS-SD. */
export interface DiscoveredRoom {
  /** Stable within one browse session (service name). */
  id: string;
  name: string;
  /** Typed-address form, `host:port`, that the start screen's address field accepts. */
  address: string;
  protocolVersion: number;
}

/** Settings the renderer may read and change (secrets never cross the bridge). */
export interface DesktopSettings {
  language: 'en' | 'zh-CN' | 'ko';
  codec: 'auto' | 'h264' | 'vp9' | 'vp8' | 'av1';
}

/** invoke: channel → [arguments, result]. */
export interface DesktopInvokes {
  'capture.listSources': [[], CaptureSource[]];
  /** The source the renderer's next getDisplayMedia call receives (one-shot, 10 s). */
  'capture.pick': [[sourceId: string, withAudio: boolean], void];
  'rooms.list': [[], DiscoveredRoom[]];
  'settings.get': [[], DesktopSettings];
  'settings.set': [[patch: Partial<DesktopSettings>], DesktopSettings];
  /** Writes a diagnostics file and returns its path. */
  'diagnostics.export': [[], string];
}

/** events, main → renderer: channel → payload. */
export interface DesktopEvents {
  'rooms.changed': DiscoveredRoom[];
  'screen.notice': { kind: 'recovered'; reason: string };
}

export type InvokeChannel = keyof DesktopInvokes;
export type EventChannel = keyof DesktopEvents;

/** The wire name of a channel: every Lectern channel carries this prefix. */
export const ipcChannel = (name: InvokeChannel | EventChannel): string => `lectern:${name}`;

export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'capture.listSources',
  'capture.pick',
  'rooms.list',
  'settings.get',
  'settings.set',
  'diagnostics.export',
];

/** What the preload exposes as `window.lectern` in the desktop app. */
export interface DesktopApi {
  isElectron: true;
  platform: string;
  listSources(): Promise<CaptureSource[]>;
  pickSource(sourceId: string, withAudio: boolean): Promise<void>;
  listRooms(): Promise<DiscoveredRoom[]>;
  onRoomsChanged(listener: (rooms: DiscoveredRoom[]) => void): () => void;
  onNotice(listener: (notice: DesktopEvents['screen.notice']) => void): () => void;
  getSettings(): Promise<DesktopSettings>;
  setSettings(patch: Partial<DesktopSettings>): Promise<DesktopSettings>;
  exportDiagnostics(): Promise<string>;
}
