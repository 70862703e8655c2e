import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_SETTINGS,
  migrateSettings,
  SettingsError,
  SettingsStore,
} from '../../../main/settings';

const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), 'lectern-settings-'));

describe('settings', () => {
  it('migrates a version 1 file', () => {
    const s = migrateSettings({
      version: 1,
      roomName: 'Room 101',
      lang: 'zh',
      display: 2,
      port: 48000,
      codec: 'VP9',
    });
    assert.deepEqual(s, {
      version: 3,
      roomName: 'Room 101',
      displayId: '2',
      port: 48000,
      codec: 'VP9',
      language: 'zh-CN',
      startAtLogin: false,
      cloud: null,
      tls: null,
    });
  });

  it('migrates a version 2 file: codec names as the protocol spells them, no cloud link', () => {
    const s = migrateSettings({
      version: 2,
      roomName: 'Lab',
      displayId: null,
      port: 47800,
      codec: 'h264',
      language: 'ko',
      startAtLogin: true,
    });
    assert.deepEqual(s, {
      ...DEFAULT_SETTINGS,
      roomName: 'Lab',
      codec: 'H264',
      language: 'ko',
      startAtLogin: true,
    });
  });

  it('keeps valid fields and replaces invalid ones with defaults', () => {
    const s = migrateSettings({ version: 3, roomName: 'Lab', port: 80, codec: 'theora' });
    assert.equal(s.roomName, 'Lab');
    assert.equal(s.port, DEFAULT_SETTINGS.port, 'port 80 is below 1024');
    assert.equal(s.codec, 'auto');
    assert.throws(() => migrateSettings('nonsense'), SettingsError);
  });

  it('persists atomically with mode 0600, and starts with defaults', async () => {
    const dir = await tmp();
    const store = await SettingsStore.open(dir);
    assert.deepEqual(store.get(), DEFAULT_SETTINGS);
    await store.update({ roomName: 'Room 7', language: 'ko' });
    const again = await SettingsStore.open(dir);
    assert.equal(again.get().roomName, 'Room 7');
    assert.equal(again.get().language, 'ko');
    const stat = await fs.stat(path.join(dir, 'settings.json'));
    assert.equal(stat.mode & 0o777, 0o600);
    await assert.rejects(
      () => store.update({ port: 70000 }),
      (e: SettingsError) => e.code === 'SETTINGS_INVALID',
    );
    assert.equal((await SettingsStore.open(dir)).get().port, DEFAULT_SETTINGS.port, 'unchanged');
  });

  it('validates what the page sends; the cloud credential is stored apart and never shown', async () => {
    const dir = await tmp();
    const store = await SettingsStore.open(dir);
    for (const bad of [
      { version: 1 },
      { port: '47800' },
      { cloud: { url: 'http://cloud.example/link', roomId: 'r1', chat: false } },
      { cloudToken: '' },
      { teacherCredentialHash: 'scrypt$…' },
    ]) {
      await assert.rejects(
        () => store.update(bad),
        (e: SettingsError) => e.code === 'SETTINGS_INVALID',
        JSON.stringify(bad),
      );
    }
    await store.update({
      cloud: { url: 'wss://cloud.example/link', roomId: 'Room204', chat: true },
      cloudToken: 'lct_very-secret',
    });
    const again = await SettingsStore.open(dir);
    assert.equal(again.cloudToken(), 'lct_very-secret');
    assert.deepEqual(again.forPage().cloud, {
      url: 'wss://cloud.example/link',
      roomId: 'Room204',
      chat: true,
    });
    assert.equal(again.forPage().cloudTokenSet, true);
    assert.ok(!JSON.stringify(again.forPage()).includes('very-secret'), 'not shown to the page');
    assert.ok(
      !JSON.stringify(again.get()).includes('very-secret'),
      'not in settings (diagnostics)',
    );
    const tokenFile = await fs.stat(path.join(dir, 'cloud-token'));
    assert.equal(tokenFile.mode & 0o777, 0o600);
    await again.update({ cloudToken: null });
    assert.equal((await SettingsStore.open(dir)).cloudToken(), null);
  });

  it('sets a corrupt file aside and starts with defaults', async () => {
    const dir = await tmp();
    await fs.writeFile(path.join(dir, 'settings.json'), '{"version": 3, "roomN');
    const store = await SettingsStore.open(dir);
    assert.deepEqual(store.get(), DEFAULT_SETTINGS);
    assert.ok((await fs.readdir(dir)).includes('settings.json.corrupt'));
  });
});
