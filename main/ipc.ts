/**
 * The typed IPC contract on the main side: one `handle()` that checks the sender's frame and
 * origin before any handler runs, and one `emit()` for events.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  ipcChannel,
  type DesktopEvents,
  type DesktopInvokes,
  type EventChannel,
  type InvokeChannel,
} from '../protocol/desktop';
import { senderAllowed } from './policy/senders';

export class IpcRefused extends Error {
  override name = 'IpcRefused';
  readonly code = 'IPC_SENDER_REFUSED';
}

export function handle<C extends InvokeChannel>(
  channel: C,
  fn: (...args: DesktopInvokes[C][0]) => DesktopInvokes[C][1] | Promise<DesktopInvokes[C][1]>,
): void {
  ipcMain.handle(ipcChannel(channel), (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    const frame = event.senderFrame;
    if (!senderAllowed({ frameUrl: frame?.url ?? null, isMainFrame: frame?.parent === null })) {
      throw new IpcRefused(`${channel}: sender refused`);
    }
    return fn(...(args as DesktopInvokes[C][0]));
  });
}

export function emit<E extends EventChannel>(
  target: WebContents,
  channel: E,
  payload: DesktopEvents[E],
): void {
  if (!target.isDestroyed()) target.send(ipcChannel(channel), payload);
}
