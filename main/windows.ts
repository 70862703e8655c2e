/** The window factory: every window of the app is created here, from ./policy/windowOptions. */
import path from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from './policy/navigation';
import { windowOptions, type WindowKind } from './policy/windowOptions';

const PRELOAD = path.join(import.meta.dirname, '../preload/index.cjs');

/** A window showing the app at `app://lectern/` with the given query (e.g. screen key). */
export async function createAppWindow(
  kind: WindowKind,
  query: Record<string, string> = {},
): Promise<BrowserWindow> {
  const win = new BrowserWindow(windowOptions(kind, PRELOAD));
  win.once('ready-to-show', () => win.show());
  if (kind === 'screen') win.setMenu(null);
  const search = new URLSearchParams(query).toString();
  await win.loadURL(`${APP_ORIGIN}/index.html${search ? `?${search}` : ''}`);
  return win;
}
