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
      version: 2,
      roomName: 'Room 101',
      displayId: '2',
      port: 48000,
      codec: 'vp9',
      language: 'zh-CN',
      startAtLogin: false,
    });
  });

  it('keeps valid fields and replaces invalid ones with defaults', () => {
    const s = migrateSettings({ version: 2, roomName: 'Lab', port: 80, codec: 'theora' });
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

  it('sets a corrupt file aside and starts with defaults', async () => {
    const dir = await tmp();
    await fs.writeFile(path.join(dir, 'settings.json'), '{"version": 2, "roomN');
    const store = await SettingsStore.open(dir);
    assert.deepEqual(store.get(), DEFAULT_SETTINGS);
    assert.ok((await fs.readdir(dir)).includes('settings.json.corrupt'));
  });
});
