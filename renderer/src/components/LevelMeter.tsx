import { useEffect, useState } from 'react';

/** The loudness (0–1) of a stream's sound, several times a second, through WebAudio. */
export function useLevel(stream: MediaStream | null | undefined): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0) return;
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    const source = ctx.createMediaStreamSource(stream);
    source.connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(data);
      let sum = 0;
      for (const x of data) sum += x * x;
      // RMS to a 0–1 scale that reads like a meter (-60 dB … 0 dB).
      const db = 10 * Math.log10(sum / data.length + 1e-12);
      setLevel(Math.max(0, Math.min(1, (db + 60) / 60)));
    }, 100);
    return () => {
      clearInterval(timer);
      source.disconnect();
      void ctx.close();
    };
  }, [stream]);
  return level;
}

/** A live level bar (what the microphone hears, before and while it is sent). */
export function LevelMeter({
  stream,
  label,
}: {
  stream: MediaStream | null | undefined;
  label: string;
}) {
  const level = useLevel(stream);
  return (
    <meter
      className="level"
      aria-label={label}
      min={0}
      max={1}
      low={0.5}
      high={0.85}
      optimum={0.6}
      value={level}
      data-level={level.toFixed(2)}
    />
  );
}
