import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { pickLanguage, type Language } from '../../../../protocol/languages';
import { en, type ConsoleKey } from './en';
import { ko } from './ko';
import { zhCN } from './zh-CN';

const REMEMBERED = 'lectern.console.language';

/** The operator's language: ?lang=, then the one chosen here before, then the browser's. */
export function initI18n(): void {
  let remembered: string | null = null;
  try {
    remembered = localStorage.getItem(REMEMBERED);
  } catch {
    // Storage may be off (private mode): the browser's languages decide.
  }
  const lng = pickLanguage(window.location.search, navigator.languages, remembered);
  void i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN }, ko: { translation: ko } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  i18next.on('languageChanged', (l) => (document.documentElement.lang = l));
}

export function setLanguage(language: Language): void {
  void i18next.changeLanguage(language);
  try {
    localStorage.setItem(REMEMBERED, language);
  } catch {
    // Not remembered; chosen for this visit.
  }
}

/** A time of day as the operator's language writes it. */
export const time = (at: number, lang: string) => new Date(at).toLocaleTimeString(lang);

/** A key as written in a call: plural keys (`x_one`, `x_other`) are asked for as `x`. */
export type Key =
  ConsoleKey | (ConsoleKey extends infer K ? (K extends `${infer B}_one` ? B : never) : never);
export type T = (key: Key, vars?: Record<string, unknown>) => string;

/** `t` typed by the console's keys, and the language for dates and numbers. */
export function useT(): { t: T; lang: string } {
  const { t, i18n } = useTranslation();
  return { t: (key, vars) => t(key, vars ?? {}), lang: i18n.language };
}
