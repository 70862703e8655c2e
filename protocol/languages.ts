import { z } from 'zod';

/** The languages the UI speaks, with their own names (the picker shows these). */
export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文', ko: '한국어' } as const;
export const Language = z.enum(['en', 'zh-CN', 'ko']);
export type Language = z.infer<typeof Language>;
