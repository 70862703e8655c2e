/**
 * Electron main: composition only. Screen mode (`--screen`) hosts the room (relay, browser
 * client, mDNS advert) and shows the kiosk screen; client mode is a normal window with a tray
 * icon that browses the LAN for rooms. Every decision lives in modules tested under Node.
 */
import path from 'node:path';
import {
  app,
  BrowserWindow,
  Menu,
  nativeImage,
  powerSaveBlocker,
  screen as displays,
  session,
  shell,
  Tray,
} from 'electron';
import { sfuOptionsFor } from '../local-ws/lan';
import type { DiscoveredRoom, LogLevel } from '../protocol/desktop';
import { createLogger } from '../server-kit/log';
import { registerAppScheme, serveApp } from './appProtocol';
import { ScreenCapture } from './capture';
import { installCertTrust } from './certTrust';
import { writeDiagnostics } from './diagnostics';
import { RoomDiscovery } from './discovery';
import { installHardening } from './hardening';
import { emit, handle } from './ipc';
import { openAppLog } from './logs';
import { PinStore } from './policy/certPins';
import { failureOf, RecoveryPolicy } from './recovery';
import { ScreenMode } from './screenMode';
import { SettingsStore } from './settings';
import { createAppWindow } from './windows';

const screenMode = process.argv.includes('--screen');
const rendererRoot = path.join(import.meta.dirname, '../renderer');
const logger = createLogger(screenMode ? 'screen' : 'client');
const pageLog = createLogger('page');
const log = (msg: string) => logger.info(msg);
const LOG_LEVELS = new Set<LogLevel>(['debug', 'info', 'warn', 'error']);

// Wayland gives a black capture without the PipeWire capturer.
if (process.platform === 'linux') {
  app.commandLine.appendSwitch('enable-features', 'WebRTCPipeWireCapturer');
}
registerAppScheme();

if (!screenMode && !app.requestSingleInstanceLock()) app.quit();
else void start();

async function start(): Promise<void> {
  const appLog = await openAppLog(app.getPath('logs'));
  await app.whenReady();
  Menu.setApplicationMenu(null);
  installHardening(log);
  serveApp(rendererRoot);
  const settings = await SettingsStore.open(app.getPath('userData'));
  const discovery = new RoomDiscovery({}, (err) => log(`mdns: ${err.message}`));
  const capture = new ScreenCapture();
  capture.install();
  let rooms: DiscoveredRoom[] = [];
  let screen: ScreenMode | null = null;
  installCertTrust(session.defaultSession, {
    pins: await PinStore.open(app.getPath('userData')),
    // The advert this device found for that address (`host:port` → host).
    advertised: (host) =>
      rooms.find((r) => r.address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') === host)?.pin,
    language: () => settings.get().language,
    log,
  });

  handle('capture.listSources', () => capture.listSources());
  handle('capture.pick', (id, withAudio) => capture.choose(id, withAudio));
  handle('rooms.list', () => rooms);
  // Only what the page may see and change crosses the bridge (never the cloud credential).
  handle('settings.get', () => settings.forPage());
  handle('settings.set', async (patch) => {
    await settings.update(patch);
    app.setLoginItemSettings({ openAtLogin: settings.get().startAtLogin, args: ['--screen'] });
    return settings.forPage();
  });
  handle('displays.list', () => {
    const primary = displays.getPrimaryDisplay().id;
    return displays.getAllDisplays().map((d) => ({
      id: String(d.id),
      label: d.label || `${d.size.width}×${d.size.height}`,
      primary: d.id === primary,
    }));
  });
  handle('log.write', (level, context, message) => {
    const at = LOG_LEVELS.has(level) ? level : 'info';
    pageLog[at]({ page: String(context).slice(0, 40) }, String(message).slice(0, 2000));
  });
  handle('diagnostics.export', async () => {
    const file = await writeDiagnostics(app.getPath('downloads'), {
      versions: { app: app.getVersion(), ...process.versions } as Record<string, string>,
      settings: settings.get(),
      relay: screen?.relay?.stats() ?? null,
      logFiles: await appLog.files(),
    });
    shell.showItemInFolder(file);
    return file;
  });

  if (screenMode) {
    const s = settings.get();
    app.setLoginItemSettings({ openAtLogin: s.startAtLogin, args: ['--screen'] });
    const display =
      displays.getAllDisplays().find((d) => String(d.id) === s.displayId) ??
      displays.getPrimaryDisplay();
    screen = new ScreenMode({
      host: {
        dataDir: path.join(app.getPath('userData'), 'host'),
        roomName: s.roomName,
        staticDir: rendererRoot,
        sfu: sfuOptionsFor('0.0.0.0', '127.0.0.1'),
        port: s.port,
        host: '0.0.0.0',
        ...(s.tls && { tls: s.tls }),
        ...(s.cloud &&
          settings.cloudToken() && {
            cloud: { ...s.cloud, token: settings.cloudToken()! },
          }),
      },
      policy: new RecoveryPolicy(),
      advertise: (room) => discovery.advertise(room),
      keepAwake: () => {
        const id = powerSaveBlocker.start('prevent-display-sleep');
        return () => powerSaveBlocker.stop(id);
      },
      openWindow: async (query) => {
        const win = await createAppWindow('screen', query);
        win.setBounds(display.bounds);
        win.webContents.on('render-process-gone', (_e, details) =>
          screen?.onRendererFailure(failureOf(details.reason)),
        );
        win.on('unresponsive', () => screen?.onRendererFailure('unresponsive'));
        return {
          reload: () => win.webContents.reload(),
          notice: (reason) =>
            win.webContents.once('did-finish-load', () =>
              emit(win.webContents, 'screen.notice', { kind: 'recovered', reason }),
            ),
          close: () => win.destroy(),
        };
      },
      log,
    });
    await screen.start();
  } else {
    const win = await createAppWindow('client');
    const tray = new Tray(nativeImage.createFromPath(path.join(rendererRoot, 'icon.png')));
    tray.setToolTip('Lectern');
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Lectern', click: () => win.show() },
        { label: 'Quit', role: 'quit' },
      ]),
    );
    discovery.browse((list) => {
      rooms = list;
      for (const w of BrowserWindow.getAllWindows()) emit(w.webContents, 'rooms.changed', list);
      tray.setToolTip(`Lectern — ${list.length} room(s) on this network`);
    });
    app.on('second-instance', () => {
      if (win.isMinimized()) win.restore();
      win.focus();
    });
  }

  app.on('before-quit', () => {
    void screen?.stop();
    void discovery.close();
    appLog.close();
  });
}

app.on('window-all-closed', () => app.quit());
