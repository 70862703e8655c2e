import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en as consoleEn } from '../../cloud/console/src/i18n/en';
import { ko as consoleKo } from '../../cloud/console/src/i18n/ko';
import { zhCN as consoleZh } from '../../cloud/console/src/i18n/zh-CN';
import { pickLanguage } from '../../protocol/languages';
import { en } from '../../renderer/src/i18n/en';
import { ko } from '../../renderer/src/i18n/ko';
import { zhCN } from '../../renderer/src/i18n/zh-CN';

type Table = Record<string, string>;

/** Each UI's tables, and the strings that are the same in every language (names, symbols). */
const UIS: { ui: string; en: Table; zh: Table; ko: Table; same: Set<string> }[] = [
  { ui: 'app', en, zh: zhCN, ko, same: new Set(['app.title']) },
  {
    ui: 'console',
    en: consoleEn,
    zh: consoleZh,
    ko: consoleKo,
    same: new Set(['layout.2x2', 'metrics.cpu', 'event.chat', 'path.p2p']),
  },
];

const placeholders = (text: string) => (text.match(/{{\w+}}/g) ?? []).sort();
/** Words a reader sees: the text without its placeholders. */
const words = (text: string) => text.replace(/{{\w+}}/g, '');

describe('i18n', () => {
  for (const { ui, en: english, zh, ko: korean, same } of UIS) {
    for (const [name, table] of [
      ['zh-CN', zh],
      ['ko', korean],
    ] as const) {
      it(`${ui}: ${name} translates every English string, keeping its placeholders`, () => {
        const untranslated: string[] = [];
        for (const [key, text] of Object.entries(english)) {
          const other = table[key];
          assert.ok(other !== undefined && other.trim().length > 0, `${name} ${key} missing`);
          if (other === text && !same.has(key)) untranslated.push(key);
          assert.deepEqual(placeholders(other), placeholders(text), `${name} ${key}: placeholders`);
        }
        assert.deepEqual(untranslated, [], `${name}: still in English`);
        const extra = Object.keys(table).filter((k) => !(k in english));
        assert.deepEqual(extra, [], `${name}: keys English does not have`);
      });
    }

    it(`${ui}: the script of each language is the one it claims (no English left)`, () => {
      for (const [table, script, name] of [
        [zh, /\p{Script=Han}/u, 'zh-CN'],
        [korean, /\p{Script=Hangul}/u, 'ko'],
      ] as const) {
        for (const [key, text] of Object.entries(table)) {
          if (!same.has(key) && /[a-z]{3}/i.test(words(english[key]!))) {
            assert.match(text, script, `${name} ${key}`);
          }
        }
      }
    });
  }

  it('picks ?lang=, then a remembered choice, then the browser’s languages, then English', () => {
    assert.equal(pickLanguage('?lang=ko', ['zh-CN'], 'en'), 'ko');
    assert.equal(pickLanguage('', ['zh-CN'], 'ko'), 'ko');
    assert.equal(pickLanguage('', ['zh-TW', 'en'], null), 'zh-CN');
    assert.equal(pickLanguage('', ['ko-KR'], undefined), 'ko');
    assert.equal(pickLanguage('?lang=xx', ['fr-FR'], 'de'), 'en');
  });
});
