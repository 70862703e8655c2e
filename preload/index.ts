import { contextBridge } from 'electron';

/** The narrow API the renderer sees in Electron; grows through the typed IPC contract. */
const api = {
  platform: process.platform,
  isElectron: true,
} as const;

export type Api = typeof api;

contextBridge.exposeInMainWorld('lectern', api);
