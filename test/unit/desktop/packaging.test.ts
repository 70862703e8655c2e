import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const config = parse(readFileSync('build/electron-builder.yml', 'utf8'));

describe('packaged app config (build/electron-builder.yml)', () => {
  it('sets the Electron fuses', () => {
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('packs into an asar with the mediasoup worker unpacked', () => {
    assert.equal(config.asar, true);
    assert.ok(
      config.asarUnpack.includes('node_modules/mediasoup/worker/out/Release/mediasoup-worker'),
    );
    assert.ok(
      config.asarUnpack.includes('node_modules/@resvg/**/*.node'),
      'resvg loads outside asar',
    );
    assert.ok(config.files.every((f: string) => f.startsWith('out/') || !f.includes('src')));
  });

  it('targets Linux, Windows and macOS with a hardened runtime and usage strings', () => {
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.equal(config.win.target, 'nsis');
    assert.equal(config.mac.target, 'dmg');
    assert.equal(config.mac.hardenedRuntime, true);
    for (const key of [
      'NSCameraUsageDescription',
      'NSMicrophoneUsageDescription',
      'NSScreenCaptureUsageDescription',
      'NSLocalNetworkUsageDescription',
    ]) {
      assert.ok(String(config.mac.extendInfo[key]).length > 10, key);
    }
  });

  it('entitlements grant devices and network, not debugging or unsigned code', () => {
    const plist = readFileSync(config.mac.entitlements, 'utf8');
    for (const key of ['device.camera', 'device.audio-input', 'network.client', 'network.server']) {
      assert.match(plist, new RegExp(`com\\.apple\\.security\\.${key.replace('.', '\\.')}`));
    }
    for (const risky of [
      'disable-library-validation',
      'get-task-allow',
      'allow-dyld-environment',
    ]) {
      assert.ok(!plist.includes(risky), risky);
    }
  });
});
