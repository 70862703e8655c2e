import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRoom } from '../context';

function Spark({ values }: { values: number[] }) {
  const max = Math.max(1, ...values);
  const points = values.map((v, i) => `${(i / 29) * 100},${20 - (v / max) * 18}`).join(' ');
  return (
    <svg viewBox="0 0 100 20" className="spark" preserveAspectRatio="none">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

const mbps = (bps: number) => `${(bps / 1e6).toFixed(1)} Mb/s`;
const kbps = (bps: number) => `${(bps / 1e3).toFixed(0)} kb/s`;

/** Per-stream codec, resolution, fps, bitrate, RTT, loss, jitter, freezes; Ctrl+Shift+S toggles. */
export function StatsOverlay() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(() => new URLSearchParams(window.location.search).has('stats'));
  const stats = useRoom((s) => s.stats);
  const history = useRoom((s) => s.statsHistory);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.shiftKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  return (
    <aside className="stats" aria-label={t('stats.title')}>
      <h2>{t('stats.title')}</h2>
      {stats.map((s) => (
        <div
          key={s.id}
          className="stat"
          data-direction={s.direction}
          data-path={s.path}
          data-link={s.link}
          data-width={s.width}
          data-height={s.height}
          data-frames={s.framesDecoded}
          data-codec={s.codec}
          data-kind={s.kind}
          data-route={s.route ? `${s.route.candidate}/${s.route.protocol}` : ''}
          data-level={s.audioLevel ?? ''}
          data-concealed={s.concealedRatio ?? ''}
        >
          {s.kind === 'audio' ? (
            <b>
              {s.direction === 'in' ? '⬇' : '⬆'} 🔊 {s.codec} {kbps(s.bitrate)} · level{' '}
              {s.audioLevel?.toFixed(2) ?? '–'}
              {s.concealedRatio !== null && ` · concealed ${(s.concealedRatio * 100).toFixed(1)}%`}
            </b>
          ) : (
            <b>
              {s.direction === 'in' ? '⬇' : '⬆'} {s.codec} {s.width}×{s.height} {s.fps.toFixed(0)}{' '}
              fps {mbps(s.bitrate)}
            </b>
          )}
          <div>
            RTT {s.rttMs?.toFixed(1) ?? '–'} ms · lost {s.packetsLost} · jitter{' '}
            {s.jitterMs?.toFixed(1) ?? '–'} ms · freezes {s.freezeCount}
            {s.qualityLimitationReason && s.qualityLimitationReason !== 'none'
              ? ` · limited by ${s.qualityLimitationReason}`
              : ''}
          </div>
          <Spark values={(history[s.id] ?? []).map((h) => h.bitrate)} />
          <Spark values={(history[s.id] ?? []).map((h) => h.fps)} />
        </div>
      ))}
    </aside>
  );
}
