import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckFigures, CheckResult } from '../../../protocol';
import { useApp, useRoom } from '../context';
import { SelfView } from './AvControls';
import { LevelMeter } from './LevelMeter';

const mbps = (kbps: number) => (kbps / 1000).toFixed(1);

/** A short chime on this device's speaker (the chosen one, where the browser can pick). */
async function playTestSound(speaker: string): Promise<void> {
  const ctx = new AudioContext();
  const sink = ctx as AudioContext & { setSinkId?(id: string): Promise<void> };
  if (speaker && sink.setSinkId) await sink.setSinkId(speaker).catch(() => undefined);
  const gain = ctx.createGain();
  gain.connect(ctx.destination);
  for (const [i, hz] of [523.25, 659.25, 783.99].entries()) {
    const tone = ctx.createOscillator();
    tone.frequency.value = hz;
    tone.connect(gain);
    tone.start(ctx.currentTime + i * 0.25);
    tone.stop(ctx.currentTime + i * 0.25 + 0.22);
  }
  gain.gain.setValueAtTime(0.2, ctx.currentTime);
  setTimeout(() => void ctx.close(), 1200);
}

/** The figures, as a person reads them. */
function Figures({ f }: { f: CheckFigures }) {
  const { t } = useTranslation();
  const how =
    f.route === 'relay'
      ? t('check.viaRelay')
      : f.transport === 'tcp'
        ? t('check.viaTcp')
        : f.transport === 'udp'
          ? t('check.viaUdp')
          : '';
  return (
    <dl className="check-figures">
      <dt>{t('check.rtt')}</dt>
      <dd>{f.rttMs === null ? '—' : `${f.rttMs} ms`}</dd>
      <dt>{t('check.jitter')}</dt>
      <dd>{f.jitterMs === null ? '—' : `${f.jitterMs} ms`}</dd>
      <dt>{t('check.loss')}</dt>
      <dd>{f.loss === null ? '—' : `${(f.loss * 100).toFixed(1)} %`}</dd>
      <dt>{t('check.up')}</dt>
      <dd>{mbps(f.upKbps)} Mbit/s</dd>
      <dt>{t('check.down')}</dt>
      <dd>{mbps(f.downKbps)} Mbit/s</dd>
      {how && (
        <>
          <dt>{t('check.how')}</dt>
          <dd>{how}</dd>
        </>
      )}
    </dl>
  );
}

/** The verdict in plain words (what the path is good for). */
function Verdict({ r }: { r: CheckResult }) {
  const { t } = useTranslation();
  const words =
    r.verdict === 'none'
      ? r.route === null
        ? t('check.verdict.noConnection')
        : t('check.verdict.tooSlow')
      : t(`check.verdict.${r.verdict}`);
  return (
    <p className={`check-verdict verdict-${r.verdict}`} role="status" data-verdict={r.verdict}>
      {words}
      {r.transport === 'tcp' && r.route !== null && <> {t('check.udpBlocked')}</>}
    </p>
  );
}

/**
 * Before joining: how good the way to the class's media is (a real WebRTC loopback to the SFU
 * the media will go through), whether the microphone is heard, the camera works, the speaker
 * plays. `address`: the room address typed on the form (empty: this page's host).
 */
export function PreJoinCheck({ address }: { address: string }) {
  const { t } = useTranslation();
  const app = useApp();
  const { av } = app;
  const previewing = useRoom((s) => s.previewing);
  const speaker = useRoom((s) => s.speakerDevice);
  const [running, setRunning] = useState(false);
  const [live, setLive] = useState<CheckFigures | null>(null);
  const [result, setResult] = useState<CheckResult | null>(app.check.result);
  // The test's camera and microphone stop when the form goes (joined, or left).
  useEffect(() => () => av.stopPreview(), [av]);
  const run = async () => {
    setRunning(true);
    setResult(null);
    setLive(null);
    try {
      setResult(await app.check.run(address, setLive));
    } finally {
      setRunning(false);
    }
  };
  return (
    <details className="pre-join-check">
      <summary>{t('check.open')}</summary>
      <section aria-label={t('check.network')}>
        <h2>{t('check.network')}</h2>
        <button type="button" className="secondary" onClick={() => void run()} disabled={running}>
          {running ? t('check.running') : result ? t('check.again') : t('check.start')}
        </button>
        {running && live && <Figures f={live} />}
        {result && (
          <>
            <Verdict r={result} />
            <Figures f={result} />
          </>
        )}
      </section>
      <section aria-label={t('av.title')}>
        <h2>{t('av.title')}</h2>
        {av.canCapture ? (
          <>
            <button
              type="button"
              className="secondary"
              onClick={() => (previewing ? av.stopPreview() : void av.startPreview())}
            >
              {previewing ? t('av.stopTest') : t('av.test')}
            </button>
            {previewing && (
              <>
                <LevelMeter stream={av.previewStream} label={t('av.level')} />
                <SelfView stream={av.previewStream} />
              </>
            )}
          </>
        ) : (
          <p className="notice">{t('av.insecure')}</p>
        )}
        <button type="button" className="secondary" onClick={() => void playTestSound(speaker)}>
          🔊 {t('check.speaker')}
        </button>
      </section>
    </details>
  );
}
