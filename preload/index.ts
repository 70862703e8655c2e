/**
 * The preload: a narrow, hand-written API over the typed IPC contract. The page never sees
 * ipcRenderer, events objects or Node modules; subscriptions return an unsubscribe function.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  ipcChannel,
  type DesktopApi,
  type DesktopEvents,
  type DesktopInvokes,
  type EventChannel,
  type InvokeChannel,
} from '../protocol/desktop';

function invoke<C extends InvokeChannel>(
  channel: C,
  ...args: DesktopInvokes[C][0]
): Promise<DesktopInvokes[C][1]> {
  return ipcRenderer.invoke(ipcChannel(channel), ...args) as Promise<DesktopInvokes[C][1]>;
}

function subscribe<E extends EventChannel>(
  channel: E,
  listener: (payload: DesktopEvents[E]) => void,
): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: DesktopEvents[E]) => listener(payload);
  ipcRenderer.on(ipcChannel(channel), wrapped);
  return () => void ipcRenderer.removeListener(ipcChannel(channel), wrapped);
}

const api = {
  isElectron: true,
  platform: process.platform,
  listSources: () => invoke('capture.listSources'),
  pickSource: (sourceId: string, withAudio: boolean) => invoke('capture.pick', sourceId, withAudio),
  listRooms: () => invoke('rooms.list'),
  onRoomsChanged: (listener: (rooms: DesktopEvents['rooms.changed']) => void) =>
    subscribe('rooms.changed', listener),
  onNotice: (listener: (notice: DesktopEvents['screen.notice']) => void) =>
    subscribe('screen.notice', listener),
  getSettings: () => invoke('settings.get'),
  setSettings: (patch: Parameters<DesktopApi['setSettings']>[0]) => invoke('settings.set', patch),
  listDisplays: () => invoke('displays.list'),
  exportDiagnostics: () => invoke('diagnostics.export'),
  log: (...line: Parameters<DesktopApi['log']>) => invoke('log.write', ...line),
} satisfies DesktopApi;

export type Api = typeof api;

contextBridge.exposeInMainWorld('lecternDesktop', api);
