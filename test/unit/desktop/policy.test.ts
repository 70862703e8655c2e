import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  externalLinkAllowed,
  navigationAllowed,
  windowOpenDecision,
} from '../../../main/policy/navigation';
import { permissionAllowed, permissionCheckAllowed } from '../../../main/policy/permissions';
import { senderAllowed } from '../../../main/policy/senders';
import { windowOptions } from '../../../main/policy/windowOptions';

describe('window factory options', () => {
  for (const kind of ['screen', 'client'] as const) {
    it(`${kind}: isolated, sandboxed, no Node, web security on`, () => {
      const o = windowOptions(kind, '/app/preload/index.cjs');
      const w = o.webPreferences!;
      assert.equal(w.contextIsolation, true);
      assert.equal(w.sandbox, true);
      assert.equal(w.nodeIntegration, false);
      assert.equal(w.nodeIntegrationInWorker, false);
      assert.equal(w.nodeIntegrationInSubFrames, false);
      assert.equal(w.webSecurity, true);
      assert.equal(w.allowRunningInsecureContent, false);
      assert.equal(w.experimentalFeatures, false);
      assert.equal(w.webviewTag, false);
      assert.equal(w.disableBlinkFeatures, 'Auxclick');
      assert.equal(w.navigateOnDragDrop, false);
      assert.equal(w.preload, '/app/preload/index.cjs');
    });
  }
  it('the screen is a frameless kiosk that keeps rendering when covered; clients are not', () => {
    const s = windowOptions('screen', 'p');
    const c = windowOptions('client', 'p');
    assert.deepEqual([s.kiosk, s.fullscreen, s.frame], [true, true, false]);
    assert.deepEqual([c.kiosk, c.fullscreen, c.frame], [false, false, true]);
    assert.equal(s.webPreferences!.backgroundThrottling, false);
  });
});

describe('navigation and external links', () => {
  it('windows stay on app://lectern', () => {
    assert.equal(navigationAllowed('app://lectern/index.html?screen=abc'), true);
    for (const url of [
      'app://other/index.html',
      'http://lectern/',
      'https://lectern.app/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'about:blank',
      'not a url',
      '',
    ]) {
      assert.equal(navigationAllowed(url), false, url);
    }
  });

  it('only https pages on exactly the allowlisted hosts open outside', () => {
    assert.equal(externalLinkAllowed('https://lectern.app/help'), true);
    assert.equal(externalLinkAllowed('https://GitHub.com/lectern/issues'), true);
    for (const url of [
      'http://lectern.app/', // not https
      'https://lectern.app.evil.example/', // suffix look-alike
      'https://evil-lectern.app/',
      'https://evillectern.app/',
      'https://github.com.evil.example/',
      'https://gіthub.com/', // Cyrillic і → punycode host
      'https://lectern.app@evil.example/', // credentials trick
      'https://user:pw@lectern.app/',
      'https://lectern.app:8443/',
      'https://sub.github.com/',
      'javascript:alert(document.domain)',
      'file:///C:/Windows/System32/calc.exe',
      'data:text/html;base64,PHNjcmlwdD4=',
      'ms-settings:privacy',
      'smb://lectern.app/share',
      'https://',
      '//lectern.app/',
    ]) {
      assert.equal(externalLinkAllowed(url), false, url);
    }
  });

  it('new windows are never created; allowlisted links go to the OS browser', () => {
    assert.equal(windowOpenDecision('https://docs.lectern.app/'), 'open-external');
    assert.equal(windowOpenDecision('app://lectern/index.html'), 'deny');
    assert.equal(windowOpenDecision('https://example.com/'), 'deny');
  });
});

describe('permission table', () => {
  const own = { requestingUrl: 'app://lectern/index.html', isMainFrame: true };
  it('grants listed permissions to the app main frame only', () => {
    assert.equal(permissionAllowed({ permission: 'display-capture', ...own }), true);
    assert.equal(permissionAllowed({ permission: 'media', ...own, mediaTypes: ['video'] }), true);
    assert.equal(permissionAllowed({ permission: 'fullscreen', ...own }), true);
  });
  it('denies everything else by default', () => {
    for (const permission of [
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'openExternal',
      'hid',
      'serial',
      'usb',
      'clipboard-read',
      'idle-detection',
      'unknown-future-permission',
      'toString',
      '__proto__',
    ]) {
      assert.equal(permissionAllowed({ permission, ...own }), false, permission);
    }
  });
  it('denies listed permissions to iframes, other origins and unknown media kinds', () => {
    assert.equal(
      permissionAllowed({ permission: 'media', ...own, isMainFrame: false }),
      false,
      'iframe',
    );
    for (const requestingUrl of [
      'https://evil.example/',
      'http://127.0.0.1:47800/',
      'app://lectern.evil/',
      'file:///tmp/x.html',
    ]) {
      assert.equal(
        permissionAllowed({ permission: 'display-capture', ...own, requestingUrl }),
        false,
      );
    }
    assert.equal(permissionAllowed({ permission: 'media', ...own, mediaTypes: ['hid'] }), false);
  });
  it('synchronous checks: listed permission and the app origin exactly', () => {
    assert.equal(permissionCheckAllowed('media', 'app://lectern'), true);
    assert.equal(permissionCheckAllowed('media', 'app://lectern.evil'), false);
    assert.equal(permissionCheckAllowed('geolocation', 'app://lectern'), false);
  });
});

describe('IPC sender check', () => {
  it('answers the app main frame only', () => {
    assert.equal(senderAllowed({ frameUrl: 'app://lectern/index.html', isMainFrame: true }), true);
    const refused = [
      { frameUrl: 'app://lectern/index.html', isMainFrame: false }, // iframe
      { frameUrl: 'https://evil.example/', isMainFrame: true }, // foreign origin
      { frameUrl: 'http://192.168.1.20:47800/', isMainFrame: true }, // the LAN page
      { frameUrl: 'app://lectern.evil/', isMainFrame: true },
      { frameUrl: 'app:/\\lectern', isMainFrame: true },
      { frameUrl: '::not a url::', isMainFrame: true }, // malformed
      { frameUrl: '', isMainFrame: true },
      { frameUrl: null, isMainFrame: true }, // destroyed frame
    ];
    for (const s of refused) assert.equal(senderAllowed(s), false, JSON.stringify(s));
  });
});
