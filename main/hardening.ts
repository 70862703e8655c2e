/**
 * Session- and app-wide guards: the permission table, navigation and new-window rules, and no
 * <webview>. Decisions live in ./policy (tested under Node); this file only wires them.
 */
import { app, session, shell } from 'electron';
import { permissionAllowed, permissionCheckAllowed } from './policy/permissions';
import { navigationAllowed, windowOpenDecision } from './policy/navigation';

export function installHardening(log: (msg: string) => void): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const ok = permissionAllowed({
      permission,
      requestingUrl: details.requestingUrl,
      isMainFrame: details.isMainFrame,
      ...('mediaTypes' in details && details.mediaTypes && { mediaTypes: details.mediaTypes }),
    });
    if (!ok) log(`permission denied: ${permission} for ${details.requestingUrl}`);
    callback(ok);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionCheckAllowed(permission, requestingOrigin),
  );
  ses.setDevicePermissionHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!navigationAllowed(event.url)) {
        event.preventDefault();
        log(`navigation blocked: ${event.url}`);
      }
    });
    contents.on('will-redirect', (event) => {
      if (!navigationAllowed(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (windowOpenDecision(url) === 'open-external') void shell.openExternal(url);
      else log(`new window blocked: ${url}`);
      return { action: 'deny' };
    });
  });
}
