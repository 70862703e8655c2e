/**
 * Electron main: thin glue. In screen mode it hosts the relay in-process and shows the room
 * screen in a kiosk window; all logic lives in local-ws and renderer.
 */
import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { RelayServer } from '../local-ws';
import { loadHostConfig } from '../local-ws/hostConfig';
import { secureWindowOptions } from './windowOptions';

const screenMode = process.argv.includes('--screen');

async function start(): Promise<void> {
  await app.whenReady();
  const preload = path.join(import.meta.dirname, '../preload/index.cjs');
  if (!screenMode) {
    const win = new BrowserWindow(secureWindowOptions(preload, false));
    await win.loadFile(path.join(import.meta.dirname, '../renderer/index.html'));
    return;
  }
  const { config } = await loadHostConfig(
    path.join(app.getPath('userData'), 'host'),
    'Lectern room',
  );
  const relay = new RelayServer({
    teacherCredentialHash: config.teacherCredentialHash,
    staticDir: path.join(import.meta.dirname, '../renderer'),
  });
  const room = relay.registry.createRoom(config.roomName);
  const port = await relay.listen();
  const win = new BrowserWindow(secureWindowOptions(preload, true));
  await win.loadURL(`http://127.0.0.1:${port}/?screen=${room.screenKey}`);
  app.on('before-quit', () => void relay.close());
}

app.on('window-all-closed', () => app.quit());
void start();
