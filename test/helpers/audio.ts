/**
 * Sound in browser tests: WAV tones for Chromium's fake microphone (one file per browser
 * process), and what a listener on a page hears, measured with WebAudio on the tracks the page
 * plays (its `<audio data-audio-share>` elements).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Writes a 16-bit 48 kHz stereo WAV of sine tones (`right` defaults to `left`), loud enough
 * (−12 dBFS) for any receiver to tell it from silence. Returns its path.
 */
export function toneWav(name: string, left: number, right = left, seconds = 20): string {
  const rate = 48_000;
  const frames = rate * seconds;
  const data = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    data.writeInt16LE(Math.round(0.25 * 32767 * Math.sin(2 * Math.PI * left * t)), i * 4);
    data.writeInt16LE(Math.round(0.25 * 32767 * Math.sin(2 * Math.PI * right * t)), i * 4 + 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(2, 22); // channels
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lectern-wav-')), `${name}.wav`);
  writeFileSync(file, Buffer.concat([header, data]));
  return file;
}

/** The fake-microphone flag for a browser whose microphone plays `wav`. */
export const fakeMic = (wav: string) => [`--use-file-for-fake-audio-capture=${wav}`];

/** pages/sound.ts runs in the browser (type-checked with the web tsconfig); seen from here: */
export interface Heard {
  share: string;
  peer: string;
  /** Frequency → dB near it (left, right, and their mix). */
  left: Record<number, number>;
  right: Record<number, number>;
  mix: Record<number, number>;
}
interface SoundPages {
  listenIn(a: { freqs: number[]; ms: number }): Promise<Heard[]>;
  myPeerId(): string;
  micSettings(): Record<string, unknown> | null;
  forceMicOn(): Promise<string | null>;
}
const soundModule = './pages/sound';
export const sound = (await import(soundModule)) as SoundPages;

/**
 * Listens for `ms` to every share the page plays and reports the energy at `freqs`, in dB
 * (silence reads about −200).
 */
export function listen(page: Page, freqs: number[], ms = 1500): Promise<Heard[]> {
  return page.evaluate(sound.listenIn, { freqs, ms });
}

/** The loudest of `freqs` in what a page plays from `peer` (null: nothing of theirs plays). */
export async function loudestFrom(
  page: Page,
  peer: string,
  freqs: number[],
): Promise<{ db: Record<number, number>; loudest: number } | null> {
  const heard = (await listen(page, freqs)).filter((h) => h.peer === peer);
  if (heard.length === 0) return null;
  const db = heard[0]!.mix;
  return { db, loudest: Number(Object.entries(db).sort((a, b) => b[1] - a[1])[0]![0]) };
}
