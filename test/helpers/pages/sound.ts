/**
 * Functions run inside test pages (serialized by Playwright; type-checked with the web
 * tsconfig): what a page plays, measured with WebAudio, and calls into its controller (?debug).
 * Each is serialized alone: nothing outside a function's body exists in the page.
 */

/** What one played share sounds like: dB at each asked frequency, per channel. */
export interface Heard {
  share: string;
  peer: string;
  left: Record<number, number>;
  right: Record<number, number>;
  mix: Record<number, number>;
}

interface Debug {
  lectern: {
    app: {
      av: { micOn(): Promise<void> };
      engine: { streamFor(id: string): MediaStream | undefined };
    };
    store: {
      getState(): {
        me: { peerId: string } | null;
        error: string | null;
        shares: Record<string, { kind: string; streamId?: string; peerId: string }>;
      };
    };
  };
}

/**
 * Listens for `ms` to every share the page plays (`audio[data-audio-share]`) and reports the
 * energy at `freqs` (strongest FFT bin within ±2 bins, averaged over the window), in dB.
 * Silence reads about −200 (the floor used here).
 */
export async function listenIn({ freqs, ms }: { freqs: number[]; ms: number }): Promise<Heard[]> {
  const els = [...document.querySelectorAll<HTMLAudioElement>('audio[data-audio-share]')];
  const ctx = new AudioContext();
  await ctx.resume();
  const probes = els.flatMap((el) => {
    const stream = el.srcObject as MediaStream | null;
    if (!stream || stream.getAudioTracks().length === 0) return [];
    const source = ctx.createMediaStreamSource(stream);
    const split = ctx.createChannelSplitter(2);
    source.connect(split);
    const make = () => {
      const a = ctx.createAnalyser();
      a.fftSize = 8192;
      a.smoothingTimeConstant = 0;
      return a;
    };
    const analysers = { left: make(), right: make(), mix: make() };
    split.connect(analysers.left, 0);
    split.connect(analysers.right, 1);
    source.connect(analysers.mix);
    const zero = () => freqs.map(() => 0);
    return [
      {
        share: el.dataset['audioShare'] ?? '',
        peer: el.dataset['peer'] ?? '',
        analysers,
        sums: { left: zero(), right: zero(), mix: zero() },
      },
    ];
  });
  let n = 0;
  const bins = new Float32Array(4096);
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    n++;
    for (const p of probes) {
      for (const ch of ['left', 'right', 'mix'] as const) {
        p.analysers[ch].getFloatFrequencyData(bins);
        freqs.forEach((f, i) => {
          const k = Math.round((f / (ctx.sampleRate / 2)) * bins.length);
          let best = -200;
          for (let j = Math.max(0, k - 2); j <= Math.min(bins.length - 1, k + 2); j++) {
            best = Math.max(best, bins[j] ?? -200);
          }
          p.sums[ch][i] = (p.sums[ch][i] ?? 0) + best;
        });
      }
    }
  }
  await ctx.close();
  const table = (sums: number[]) =>
    Object.fromEntries(freqs.map((f, i) => [f, Math.round((sums[i] ?? 0) / Math.max(1, n))]));
  return probes.map((p) => ({
    share: p.share,
    peer: p.peer,
    left: table(p.sums.left),
    right: table(p.sums.right),
    mix: table(p.sums.mix),
  }));
}

export function myPeerId(): string {
  return (window as unknown as Debug).lectern.store.getState().me?.peerId ?? '';
}

/** The settings of my microphone's captured track (echo cancellation, channels…). */
export function micSettings(): MediaTrackSettings | null {
  const { store, app } = (window as unknown as Debug).lectern;
  const s = store.getState();
  const mic = Object.values(s.shares).find((x) => x.kind === 'mic' && x.peerId === s.me?.peerId);
  const track = mic?.streamId ? app.engine.streamFor(mic.streamId)?.getAudioTracks()[0] : undefined;
  return track ? track.getSettings() : null;
}

/** Calls the microphone on directly (past the UI) and returns the error the page shows. */
export async function forceMicOn(): Promise<string | null> {
  const { app, store } = (window as unknown as Debug).lectern;
  await app.av.micOn();
  return store.getState().error;
}
