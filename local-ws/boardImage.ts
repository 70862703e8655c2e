/**
 * A board page as an image: SVG made from the same geometry the pages paint (protocol/ink.ts),
 * rasterised to PNG by resvg (off the event loop). Used to keep a class's board when it ends.
 */
import { renderAsync } from '@resvg/resvg-js';
import type { BoardBackground, Stroke } from '../protocol';
import { inkOf, type Xy } from '../protocol/ink';

const PAPER = '#ffffff';
const RULE = '#d6dce8';

const n = (v: number) => (Math.round(v * 10) / 10).toString();
const pts = (xs: Xy[]) => xs.map(([x, y]) => `${n(x)},${n(y)}`).join(' ');
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Ink colours come from the relay's checked schema (#rrggbb); anything else is black. */
const colour = (c: string) => (/^#[0-9a-f]{6}$/i.test(c) ? c : '#000000');

/** The page's paper: blank, a grid, or ruled lines, as the pages paint it. */
function paper(background: BoardBackground | null, w: number, h: number): string {
  const out = [`<rect width="${w}" height="${h}" fill="${PAPER}"/>`];
  if (background && background !== 'blank') {
    const step = w / 32;
    const lines: string[] = [];
    for (let y = step; y < h; y += step) lines.push(`M0 ${n(y)}H${w}`);
    if (background === 'grid') for (let x = step; x < w; x += step) lines.push(`M${n(x)} 0V${h}`);
    out.push(
      `<path d="${lines.join('')}" stroke="${RULE}" stroke-width="${n(Math.max(1, w / 1920))}" fill="none"/>`,
    );
  }
  return out.join('');
}

/** One page of strokes, in drawing order, as SVG of `w` × `h` pixels. */
export function boardSvg(
  strokes: readonly Stroke[],
  background: BoardBackground | null,
  w = 1920,
  h = 1080,
): string {
  const body = strokes.map((s) => {
    const ink = inkOf(s, w, h);
    const c = colour(ink.color);
    const opacity = ink.alpha < 1 ? ` opacity="${ink.alpha}"` : '';
    const line = `stroke="${c}" stroke-width="${n(ink.lineWidth)}" stroke-linecap="round" stroke-linejoin="round" fill="none"${opacity}`;
    const parts: string[] = [];
    if (ink.fill && ink.fill.length > 1) {
      parts.push(`<path d="M${pts(ink.fill)}Z" fill="${c}"${opacity}/>`);
    }
    for (const l of ink.lines ?? []) parts.push(`<polyline points="${pts(l)}" ${line}/>`);
    if (ink.ellipse) {
      const e = ink.ellipse;
      parts.push(
        `<ellipse cx="${n(e.cx)}" cy="${n(e.cy)}" rx="${n(Math.max(1, e.rx))}" ry="${n(Math.max(1, e.ry))}" ${line}/>`,
      );
    }
    if (ink.text) {
      const t = ink.text;
      parts.push(
        `<text x="${n(t.x)}" y="${n(t.y + t.size * 0.8)}" font-size="${n(t.size)}" font-family="sans-serif" fill="${c}"${opacity}>${escape(t.value)}</text>`,
      );
    }
    return parts.join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${paper(background, w, h)}${body.join('')}</svg>`;
}

/**
 * The SVG as PNG, rendered in resvg's worker thread. The system's fonts are read only when the
 * picture has text: resvg reads every font file on each render (about 100 ms warm with the CJK
 * fonts installed, more from a cold disk), against about 12 ms for a page of ink alone.
 */
export async function svgToPng(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    font: { loadSystemFonts: svg.includes('<text'), defaultFontFamily: 'sans-serif' },
  });
  return image.asPng();
}
