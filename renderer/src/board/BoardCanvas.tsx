import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { BOARD_LIMITS, type BoardTarget, type StrokeStyle } from '../../../protocol';
import { useApp, useRoom } from '../context';
import { lasersOn, strokesOf } from '../store/board';
import { strokeAt } from '../../../protocol/ink';
import { InkLayers } from './layers';
import { paintBackground, paintLasers } from './paint';

export type Tool = StrokeStyle['tool'] | 'eraser' | 'laser';

export interface Pen {
  tool: Tool;
  color: string;
  width: number;
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));
/** The laser goes out at most this often (the relay allows 30 a second). */
const LASER_EVERY_MS = 40;

/**
 * One board page (or a share's annotations) on a canvas that fills its box: repainted on the
 * next frame after any change. With `pen`, pointer input draws (a pen, once seen, wins over
 * touches: a resting palm does not draw).
 */
export function BoardCanvas({
  page,
  share,
  pen,
  label,
}: {
  page?: number;
  share?: string;
  pen?: Pen | undefined;
  label: string;
}) {
  const app = useApp();
  const { t } = useTranslation();
  const [typing, setTyping] = useState<{ x: number; y: number } | null>(null);
  const target = useMemo<BoardTarget>(
    () => (share !== undefined ? { share } : { page: page ?? 0 }),
    [page, share],
  );
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRoom((s) => strokesOf(s, target));
  const background = useRoom((s) => s.board?.background ?? null);
  const me = useRoom((s) => s.me);
  const lasers = useRoom(useShallow((s) => lasersOn(s, target)));
  const drawn = useRef(strokes);
  const shownLasers = useRef(lasers);
  const layers = useRef(new InkLayers());
  const requestPaint = useRef(() => {});
  // A change asks for one paint on the next frame (many changes in a frame: one paint).
  useEffect(() => {
    drawn.current = strokes;
    shownLasers.current = lasers;
    requestPaint.current();
  }, [strokes, lasers]);

  // Paint: on the next frame after strokes, lasers, size or paper change.
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    let frame = 0;
    // Read once: a style read in every frame makes the page recompute its styles each time.
    const css = getComputedStyle(el);
    const paperColor = css.getPropertyValue('--board-paper').trim() || '#ffffff';
    const rule = css.getPropertyValue('--board-rule').trim() || '#d3d9e4';
    const paint = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const dpr = window.devicePixelRatio || 1;
        const w = Math.max(1, Math.round(el.clientWidth * dpr));
        const h = Math.max(1, Math.round(el.clientHeight * dpr));
        if (el.width !== w || el.height !== h) Object.assign(el, { width: w, height: h });
        // Opaque (a page) and desynchronized: the ink-app canvas, which the page's compositor
        // need not blend and which skips a copy per frame (bench:board: half the main thread).
        const ctx = el.getContext('2d', { alpha: !('page' in target), desynchronized: true });
        if (!ctx) return;
        const onPage = 'page' in target;
        layers.current.paint(
          ctx,
          drawn.current,
          w,
          h,
          (c) => {
            if (onPage) paintBackground(c, background, w, h, paperColor, rule);
          },
          onPage ? `${background}·${paperColor}·${rule}` : 'clear',
        );
        // A laser fades: keep painting until the last one has gone.
        if (paintLasers(ctx, shownLasers.current, w, h, Date.now())) paint();
      });
    };
    requestPaint.current = paint;
    paint();
    const resized = new ResizeObserver(paint);
    resized.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      resized.disconnect();
    };
  }, [background, target]);

  // Draw with the pointer.
  useEffect(() => {
    const el = canvas.current;
    if (!el || !pen) return;
    let penSeen = false;
    let drawing = false;
    let laserAt = 0;
    const at = (e: PointerEvent): [number, number, number] => {
      const r = el.getBoundingClientRect();
      const pressure = e.pointerType === 'pen' && e.pressure > 0 ? e.pressure : 0.5;
      return [
        clamp((e.clientX - r.left) / r.width),
        clamp((e.clientY - r.top) / r.height),
        pressure,
      ];
    };
    const erase = (e: PointerEvent) => {
      const [x, y] = at(e);
      const hit = strokeAt(drawn.current, x, y);
      if (hit && (hit.by === me?.peerId || me?.role === 'teacher')) {
        app.board.erase(target, hit.by, hit.id);
      }
    };
    const point = (e: PointerEvent) => {
      const now = performance.now();
      if (now - laserAt < LASER_EVERY_MS) return;
      laserAt = now;
      const [x, y] = at(e);
      app.board.laser(target, x, y);
    };
    const down = (e: PointerEvent) => {
      if (e.pointerType === 'pen') penSeen = true;
      if (penSeen && e.pointerType === 'touch') return;
      // Drawing on a share: the pointer draws; it does not pan or zoom the video under it.
      e.stopPropagation();
      e.preventDefault();
      if (pen.tool === 'text') {
        const [x, y] = at(e);
        setTyping({ x, y });
        return;
      }
      el.setPointerCapture(e.pointerId);
      drawing = true;
      if (pen.tool === 'eraser') return erase(e);
      if (pen.tool === 'laser') return point(e);
      app.board.begin(target, { tool: pen.tool, color: pen.color, width: pen.width }, at(e));
    };
    const move = (e: PointerEvent) => {
      if (!drawing) return;
      e.stopPropagation();
      if (pen.tool === 'eraser') return erase(e);
      if (pen.tool === 'laser') return point(e);
      for (const c of e.getCoalescedEvents?.() ?? [e]) app.board.move(at(c));
    };
    const up = () => {
      if (!drawing) return;
      drawing = false;
      if (pen.tool !== 'eraser' && pen.tool !== 'laser') app.board.end();
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    return () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
  }, [pen, target, app, me]);

  const place = (text: string) => {
    const at = typing;
    setTyping(null);
    if (!at || !pen || text.trim() === '') return;
    app.board.text(target, { tool: 'text', color: pen.color, width: pen.width }, at, text.trim());
  };
  return (
    <>
      <canvas
        // A page's canvas is opaque, an annotation's see-through: a context keeps its first kind.
        key={share === undefined ? 'page' : 'share'}
        ref={canvas}
        className={`board-canvas${pen ? ' drawable' : ''}`}
        role="img"
        aria-label={label}
        data-strokes={strokes.length}
      />
      {typing && (
        <input
          className="board-text-input"
          autoFocus
          maxLength={BOARD_LIMITS.textMax}
          aria-label={t('board.textInput')}
          style={{ left: `${typing.x * 100}%`, top: `${typing.y * 100}%`, color: pen?.color }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') place(e.currentTarget.value);
            if (e.key === 'Escape') setTyping(null);
            e.stopPropagation();
          }}
          onBlur={(e) => place(e.currentTarget.value)}
        />
      )}
    </>
  );
}
