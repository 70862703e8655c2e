import type { CodecPreference } from './codecs';
import type { Language } from './languages';

/**
 * The desktop bridge: the one typed IPC contract between Electron's main process and the
 * renderer (through the preload). Channel names are namespaced and derived from the maps below;
 * the renderer sees only {@link DesktopApi}, never ipcRenderer.
 */

/** The desktop app serves its pages from `app://lectern/` (never from the network). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'lectern';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

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
  /** The room's key pin from its advert (protocol/tls.ts). */
  pin?: string;
}

/** The desktop app's settings as its settings screen shows them. */
export interface DesktopSettings {
  /** The room screen's name (shown on the screen and to every device). */
  roomName: string;
  /** Electron display id for the room screen; null = primary. */
  displayId: string | null;
  /** The room host's port (the relay and the browser client). */
  port: number;
  /** The codec a share prefers. */
  codec: CodecPreference;
  language: Language;
  /** Start the room screen when this computer starts. */
  startAtLogin: boolean;
  /** The school's cloud control server, when linked (see the cloud console). */
  cloud: { url: string; roomId: string; chat: boolean } | null;
  /** A school's own certificate and key files for the room host (null: the room's own CA). */
  tls: { certFile: string; keyFile: string } | null;
  /** Whether the room's cloud credential is stored: it never crosses the bridge. */
  cloudTokenSet: boolean;
}

/** A change to the settings; the cloud credential can be set or cleared, never read. */
export type DesktopSettingsPatch = Partial<Omit<DesktopSettings, 'cloudTokenSet'>> & {
  cloudToken?: string | null;
};

/** A display the room screen can run on. */
export interface DisplayInfo {
  id: string;
  label: string;
  primary: boolean;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** invoke: channel → [arguments, result]. */
export interface DesktopInvokes {
  'capture.listSources': [[], CaptureSource[]];
  /** The source the renderer's next getDisplayMedia call receives (one-shot, 10 s). */
  'capture.pick': [[sourceId: string, withAudio: boolean], void];
  'rooms.list': [[], DiscoveredRoom[]];
  'settings.get': [[], DesktopSettings];
  'settings.set': [[patch: DesktopSettingsPatch], DesktopSettings];
  'displays.list': [[], DisplayInfo[]];
  /** Writes a diagnostics file and returns its path. */
  'diagnostics.export': [[], string];
  /** One of the page's log lines, into the app's log file. */
  'log.write': [[level: LogLevel, context: string, message: string], void];
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

/** What the preload exposes as `window.lecternDesktop` in the desktop app. */
export interface DesktopApi {
  isElectron: true;
  platform: string;
  listSources(): Promise<CaptureSource[]>;
  pickSource(sourceId: string, withAudio: boolean): Promise<void>;
  listRooms(): Promise<DiscoveredRoom[]>;
  onRoomsChanged(listener: (rooms: DiscoveredRoom[]) => void): () => void;
  onNotice(listener: (notice: DesktopEvents['screen.notice']) => void): () => void;
  getSettings(): Promise<DesktopSettings>;
  setSettings(patch: DesktopSettingsPatch): Promise<DesktopSettings>;
  listDisplays(): Promise<DisplayInfo[]>;
  exportDiagnostics(): Promise<string>;
  log(level: LogLevel, context: string, message: string): Promise<void>;
}
