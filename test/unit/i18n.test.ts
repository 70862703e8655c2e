import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../renderer/src/i18n/en';
import { ko } from '../../renderer/src/i18n/ko';
import { zhCN } from '../../renderer/src/i18n/zh-CN';

/** Strings that are the same in every language (the product's name). */
const SAME_EVERYWHERE = new Set(['app.title']);

describe('i18n', () => {
  for (const [name, table] of [
    ['zh-CN', zhCN],
    ['ko', ko],
  ] as const) {
    it(`${name} translates every English string, keeping its placeholders`, () => {
      const untranslated: string[] = [];
      for (const [key, text] of Object.entries(en)) {
        const other = (table as Record<string, string | undefined>)[key];
        assert.ok(other !== undefined && other.trim().length > 0, `${name} ${key} missing`);
        if (other === text && !SAME_EVERYWHERE.has(key)) untranslated.push(key);
        assert.deepEqual(
          (other.match(/{{\w+}}/g) ?? []).sort(),
          (text.match(/{{\w+}}/g) ?? []).sort(),
          `${name} ${key}: placeholders`,
        );
      }
      assert.deepEqual(untranslated, [], `${name}: still in English`);
      const extra = Object.keys(table).filter((k) => !(k in en));
      assert.deepEqual(extra, [], `${name}: keys English does not have`);
    });
  }

  it('the script of each language is the one it claims (no English left in CJK strings)', () => {
    const han = /\p{Script=Han}/u;
    const hangul = /\p{Script=Hangul}/u;
    for (const [key, text] of Object.entries(zhCN)) {
      if (!SAME_EVERYWHERE.has(key) && /[a-z]{3}/i.test(en[key as keyof typeof en])) {
        assert.match(text, han, `zh-CN ${key}`);
      }
    }
    for (const [key, text] of Object.entries(ko)) {
      if (!SAME_EVERYWHERE.has(key) && /[a-z]{3}/i.test(en[key as keyof typeof en])) {
        assert.match(text, hangul, `ko ${key}`);
      }
    }
  });
});
