import { z } from 'zod';

/** The languages the UI speaks, with their own names (the picker shows these). */
export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文', ko: '한국어' } as const;
export const Language = z.enum(['en', 'zh-CN', 'ko']);
export type Language = z.infer<typeof Language>;

/** ?lang= first, then a remembered choice, then the browser's languages, then English. */
export function pickLanguage(
  search: string,
  preferred: readonly string[],
  remembered?: string | null,
): Language {
  const asked = new URLSearchParams(search).get('lang');
  for (const tag of [asked, remembered, ...preferred]) {
    if (!tag) continue;
    if (tag in LANGUAGES) return tag as Language;
    if (tag.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (tag.toLowerCase().startsWith('ko')) return 'ko';
    if (tag.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}
