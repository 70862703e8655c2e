/**
 * What people read: names, chat, share labels. Shown on a big screen to a whole class, so no
 * text may hide, reorder or fake what is around it, and no student may pass for the teacher.
 * Pure and shared: the relay enforces it, pages use it to explain a refusal before sending.
 */

/**
 * Never in any text: C0 and C1 controls (newlines too: one line cannot pose as two), bidi
 * embeddings, overrides and isolates (U+202A–202E, U+2066–2069), line and paragraph separators,
 * the byte-order mark, invisible operators and the interlinear annotation characters.
 */
/* eslint-disable no-control-regex -- control characters are what it looks for */
const NEVER =
  /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\u2060-\u2064\u206a-\u206f\ufff9-\ufffb]/u;
/* eslint-enable no-control-regex */

/**
 * Not in names either: every other invisible format character (zero-width space and joiners,
 * LRM/RLM, soft hyphen…), separators other than the plain space, private-use, unassigned and
 * lone surrogate code points.
 */
const NOT_IN_NAMES = /[\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

/** More than this many combining marks on one letter stacks them over the next lines. */
const MAX_MARKS = 3;
const STACKED_MARKS = new RegExp(`\\p{M}{${MAX_MARKS + 1},}`, 'u');

export type TextCheck = { ok: true; text: string } | { ok: false; reason: string };

/** Chat text and share labels: NFC, trimmed, none of the characters that deceive. */
export function cleanText(raw: string): TextCheck {
  const text = raw.normalize('NFC').trim();
  if (NEVER.test(text)) return { ok: false, reason: 'control or direction-changing characters' };
  if (STACKED_MARKS.test(text)) return { ok: false, reason: 'too many stacked accents' };
  return { ok: true, text };
}

/** A display name: as cleanText, and no invisible characters at all; spaces collapsed. */
export function cleanName(raw: string): TextCheck {
  const checked = cleanText(raw);
  if (!checked.ok) return checked;
  const text = checked.text.replace(/ {2,}/g, ' ');
  if (NOT_IN_NAMES.test(text)) return { ok: false, reason: 'invisible or unusual characters' };
  if (!/[\p{L}\p{N}\p{So}]/u.test(text)) return { ok: false, reason: 'no letters' };
  return { ok: true, text };
}

/** Look-alike letters from other scripts, mapped to the Latin letter they pass for. */
const CONFUSABLE: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  ο: 'o',
  α: 'a',
  ν: 'v',
  ρ: 'p',
  τ: 't',
  ι: 'i',
  κ: 'k',
  υ: 'u',
  χ: 'x',
  ε: 'e',
  '0': 'o',
  '1': 'l',
  '|': 'l',
  '3': 'e',
  '5': 's',
  '@': 'a',
  $: 's',
};

/**
 * A name's skeleton for comparing names as a reader would: compatibility forms folded
 * (fullwidth ｔ → t), case and accents dropped, look-alike letters mapped, everything but letters
 * removed. "Ms. Park", "MS PARK" and "Мs. Pаrk" (Cyrillic) have one skeleton.
 */
export function nameSkeleton(name: string): string {
  const folded = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  let out = '';
  for (const ch of folded) {
    const mapped = CONFUSABLE[ch] ?? ch;
    if (/[\p{L}]/u.test(mapped)) out += mapped;
  }
  return out;
}

/** Words only the teacher's (and the screen's) names may carry, in the UI's languages. */
export const ROLE_WORDS = [
  'teacher',
  'admin',
  'moderator',
  'roomscreen',
  'lectern',
  '老师',
  '教师',
  '管理员',
  '大屏',
  '선생님',
  '교사',
  '관리자',
].map(nameSkeleton);

/** Whether a student's name claims a role or a teacher's identity. */
export function claimsRole(name: string, teacherNames: readonly string[]): boolean {
  const skeleton = nameSkeleton(name);
  if (skeleton === '') return false;
  if (ROLE_WORDS.some((w) => skeleton.includes(w))) return true;
  return teacherNames.some((t) => nameSkeleton(t) === skeleton);
}
