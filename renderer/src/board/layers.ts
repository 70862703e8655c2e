import type { Stroke } from '../../../protocol';
import { paintStrokes } from './paint';

/**
 * Incremental redraw: finished strokes are painted once into an off-screen layer and kept
 * there; each frame copies the layer and paints only the strokes still being drawn on top.
 * The layer is rebuilt only when a finished stroke goes away (erase, undo, clear) or the size
 * or paper changes. A finished stroke joins the layer on top of those already in it.
 */
export class InkLayers {
  private layer: HTMLCanvasElement | null = null;
  private painted = new Set<Stroke>();
  private key = '';

  paint(
    ctx: CanvasRenderingContext2D,
    strokes: readonly Stroke[],
    w: number,
    h: number,
    paper: (ctx: CanvasRenderingContext2D) => void,
    paperKey: string,
  ): void {
    const key = `${w}×${h}·${paperKey}`;
    const current = new Set(strokes);
    let layer = this.layer;
    let stale = key !== this.key || !layer;
    if (!stale) for (const s of this.painted) if (!current.has(s)) stale = true;
    if (stale) {
      layer ??= document.createElement('canvas');
      Object.assign(layer, { width: w, height: h });
      const lctx = layer.getContext('2d')!;
      lctx.clearRect(0, 0, w, h);
      paper(lctx);
      this.layer = layer;
      this.painted = new Set();
      this.key = key;
    }
    const lctx = layer!.getContext('2d')!;
    const fresh = strokes.filter((s) => s.done && !this.painted.has(s));
    paintStrokes(lctx, fresh, w, h);
    for (const s of fresh) this.painted.add(s);
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(layer!, 0, 0);
    paintStrokes(
      ctx,
      strokes.filter((s) => !s.done),
      w,
      h,
    );
  }
}
