/**
 * A page function (serialized by Playwright; type-checked with the web tsconfig): a share whose
 * frames carry their ids, read back from recordings by `../recorded.ts`.
 */

/**
 * Runs in the page: a 30 fps canvas source that stamps a frame id (a 16-bit counter) as
 * blocks, over text and motion like a slide; shared through the app as a screen share.
 */
export async function stampSource(a: {
  width: number;
  height: number;
  bits: number;
  block: number;
}) {
  const w = window as unknown as {
    lectern: {
      app: { shares: { shareStream(s: MediaStream, p: string): Promise<string | null> } };
    };
  };
  const canvas = document.createElement('canvas');
  canvas.width = a.width;
  canvas.height = a.height;
  const ctx = canvas.getContext('2d')!;
  let frame = 0;
  const draw = () => {
    ctx.fillStyle = '#2d5c8a';
    ctx.fillRect(0, 0, a.width, a.height);
    ctx.fillStyle = '#fff';
    ctx.font = `${Math.round(a.height / 20)}px sans-serif`;
    for (let line = 0; line < 8; line++) {
      ctx.fillText(`Line ${line}: frame ${frame}`, 60, a.height / 4 + line * (a.height / 14));
    }
    ctx.fillRect((frame * 13) % a.width, a.height - 120, 80, 80);
    for (let i = 0; i < a.bits; i++) {
      ctx.fillStyle = (frame >> i) & 1 ? '#fff' : '#000';
      ctx.fillRect(i * a.block, 0, a.block, a.block);
    }
    frame = (frame + 1) % (1 << a.bits);
  };
  draw();
  setInterval(draw, 1000 / 30);
  return w.lectern.app.shares.shareStream(canvas.captureStream(30), 'sharp');
}

/**
 * Runs in the page: the frame id a `<video>` (the `selector`'s) shows now, read from its stamp
 * blocks at whatever size the video has (null when it shows no frame yet).
 */
export function readStamp(a: { selector: string; bits: number; block: number; width: number }) {
  const video = document.querySelector<HTMLVideoElement>(a.selector);
  if (!video || video.videoWidth === 0) return null;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(video, 0, 0);
  const scale = video.videoWidth / a.width;
  let id = 0;
  for (let i = 0; i < a.bits; i++) {
    const x = Math.floor((i + 0.5) * a.block * scale);
    const y = Math.floor(0.5 * a.block * scale);
    const [r = 0, g = 0, b = 0] = ctx.getImageData(x, y, 1, 1).data;
    if (r + g + b > 3 * 128) id |= 1 << i;
  }
  return id;
}

/** Runs in the page: where a `<video>` is (null: no such element). */
export function videoState(selector: string) {
  const v = document.querySelector<HTMLVideoElement>(selector);
  return v && { readyState: v.readyState, seeking: v.seeking, currentTime: v.currentTime };
}

/** Runs in the page: loads a video file in a fresh `<video>`; its size and length. */
export async function videoFileInfo(src: string) {
  const v = document.createElement('video');
  v.muted = true;
  v.src = src;
  await new Promise((ok, fail) => {
    v.onloadeddata = ok;
    v.onerror = () => fail(new Error(`video error ${v.error?.code}`));
  });
  return { width: v.videoWidth, height: v.videoHeight, duration: v.duration };
}
