import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../renderer/src/i18n/en';
import { ko } from '../../renderer/src/i18n/ko';
import { zhCN } from '../../renderer/src/i18n/zh-CN';

describe('i18n', () => {
  it('zh-CN and ko have every English key, non-empty, with the same placeholders', () => {
    for (const [name, table] of [
      ['zh-CN', zhCN],
      ['ko', ko],
    ] as const) {
      assert.deepEqual(Object.keys(table).sort(), Object.keys(en).sort(), name);
      for (const [key, text] of Object.entries(en)) {
        const other = table[key as keyof typeof en];
        assert.ok(other.trim().length > 0, `${name} ${key}`);
        assert.deepEqual(
          other.match(/{{\w+}}/g) ?? [],
          text.match(/{{\w+}}/g) ?? [],
          `${name} ${key}`,
        );
      }
    }
  });
});
