import type { BrowserWindowConstructorOptions } from 'electron';

export type WindowKind = 'screen' | 'client';

/**
 * Every window's options, in one place: isolated, sandboxed, no Node in the page, web security
 * on. The room screen is a frameless kiosk; clients are ordinary windows.
 */
export function windowOptions(kind: WindowKind, preload: string): BrowserWindowConstructorOptions {
  const screen = kind === 'screen';
  return {
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    kiosk: screen,
    fullscreen: screen,
    frame: !screen,
    autoHideMenuBar: true,
    backgroundColor: '#10162a',
    title: 'Lectern',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would open links in a new window; there are none to open.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      // The room screen keeps rendering video when another window covers it.
      backgroundThrottling: !screen,
    },
  };
}
