import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ko } from './ko';
import { zhCN } from './zh-CN';

import { LANGUAGES, type Language } from '../../../protocol/languages';

export { LANGUAGES, type Language };

/** ?lang= first, then the browser's languages, then English. */
export function pickLanguage(search: string, preferred: readonly string[]): Language {
  const asked = new URLSearchParams(search).get('lang');
  for (const tag of [asked, ...preferred]) {
    if (!tag) continue;
    if (tag in LANGUAGES) return tag as Language;
    if (tag.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (tag.toLowerCase().startsWith('ko')) return 'ko';
    if (tag.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

export function initI18n(language: Language): void {
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN }, ko: { translation: ko } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
}

export { i18next };
