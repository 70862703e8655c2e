import { useCallback, useEffect, useRef, useState } from 'react';

/** Class time while reviewing: play, pause, seek; it stops at the end. */
export function useClassClock(duration: number) {
  const [t, setT] = useState(0);
  const [playing, setPlaying] = useState(false);
  // Where the clock was when it last started, and when (performance.now()).
  const anchor = useRef({ t: 0, at: 0 });
  useEffect(() => {
    if (!playing) return;
    anchor.current = { t, at: performance.now() };
    const timer = setInterval(() => {
      const now = anchor.current.t + (performance.now() - anchor.current.at);
      if (now >= duration) {
        setT(duration);
        setPlaying(false);
      } else {
        setT(now);
      }
    }, 100);
    return () => clearInterval(timer);
    // The anchor is taken when playback starts (or restarts after a seek), not at every tick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, duration]);
  const seek = useCallback(
    (to: number) => {
      const clamped = Math.min(Math.max(0, to), duration);
      anchor.current = { t: clamped, at: performance.now() };
      setT(clamped);
    },
    [duration],
  );
  const toggle = useCallback(() => {
    setPlaying((p) => {
      if (!p && t >= duration) seek(0);
      return !p;
    });
  }, [t, duration, seek]);
  return { t, playing, toggle, seek };
}
