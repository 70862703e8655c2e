import type { Primed } from './primer';

/**
 * A still, black picture of the expected size, sent once on a spare sender so that its encoder
 * exists before a share. Chromium encodes a screen capture as screen content; a canvas only with
 * the 'detail' hint, which it gets here (or a 'motion' plan's hint), else the encoder would be
 * made again in the other mode when the real track comes.
 */
export class Placeholder {
  readonly track: MediaStreamTrack;
  private readonly canvas: HTMLCanvasElement;

  constructor(primed: Primed) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = primed.size.width;
    this.canvas.height = primed.size.height;
    // A frame only when asked (frame()): the placeholder costs nothing between frames.
    const track = this.canvas.captureStream(0).getVideoTracks()[0];
    if (!track) throw new Error('no canvas capture');
    track.contentHint = primed.plan.contentHint === 'motion' ? 'motion' : 'detail';
    this.track = track;
  }

  /**
   * Sends one picture: once the link is connected, and again after each negotiation (a new
   * codec means a new encoder to make).
   */
  frame(): void {
    if (this.track.readyState !== 'live') return;
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.fillStyle = '#000';
    g.fillRect(0, 0, this.canvas.width, this.canvas.height);
    (this.track as CanvasCaptureMediaStreamTrack).requestFrame();
  }

  stop(): void {
    this.track.stop();
    this.canvas.width = this.canvas.height = 0;
  }
}
