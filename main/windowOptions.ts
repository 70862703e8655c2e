import type { BrowserWindowConstructorOptions } from 'electron';

/** Every window's web preferences: isolated, sandboxed, no Node in the page. */
export function secureWindowOptions(
  preload: string,
  kiosk: boolean,
): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#10162a',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    },
  };
}
