import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QualityPreset } from '../../../protocol';
import { VideoTile } from '../components/VideoTile';
import { useApp, useRoom } from '../context';
import { desktop } from '../desktop';
import { availableCodecs, CODECS, type CodecName } from '../media/encoding';
import { selectMe, selectMyShares } from '../store';
import { SourcePicker } from './SourcePicker';

function browserCodecs(): CodecName[] {
  const caps = typeof RTCRtpSender !== 'undefined' ? RTCRtpSender.getCapabilities('video') : null;
  return caps ? availableCodecs(caps.codecs) : [...CODECS];
}

/** Share / stop, with the quality preset and codec; a preview of what is being sent. */
function SharePanelView({ label }: { label: 'room.share' | 'room.shareToScreen' }) {
  const { t } = useTranslation();
  const { shares: app } = useApp();
  const [preset, setPreset] = useState<QualityPreset>('auto');
  const [codec, setCodec] = useState<CodecName>(() => app.codec);
  const [picking, setPicking] = useState(false);
  const [withSound, setWithSound] = useState(false);
  const codecs = useMemo(() => browserCodecs(), []);
  const shares = useRoom((s) => s.shares);
  const myId = useRoom((s) => s.me?.peerId);
  // Microphone and camera have their own controls (AvControls).
  const mine = useMemo(
    () => selectMyShares(shares, myId).filter((s) => s.kind !== 'mic' && s.kind !== 'camera'),
    [shares, myId],
  );
  const me = useRoom(selectMe);
  // A student invited for voice or camera only has no screen to share (the relay agrees).
  if (me?.role === 'student' && !(me.stageMedia ?? []).includes('screen')) return null;
  return (
    <section className="share-panel" aria-label={t(label)}>
      {mine.length === 0 ? (
        <div className="row share-start">
          <button
            className="primary"
            aria-keyshortcuts="S"
            data-shortcut="s"
            onClick={() => (desktop ? setPicking(true) : void app.share(preset, withSound))}
          >
            {t(label)}
          </button>
          {/* The desktop app's picker asks this itself (system sound on Windows). */}
          {!desktop && (
            <label>
              <input
                type="checkbox"
                checked={withSound}
                onChange={(e) => setWithSound(e.target.checked)}
              />{' '}
              {t('av.shareSound')}
            </label>
          )}
          {/* Most people never need these: the defaults follow the content. */}
          <details className="options">
            <summary>{t('room.shareOptions')}</summary>
            <label>
              {t('room.preset')}{' '}
              <select value={preset} onChange={(e) => setPreset(e.target.value as QualityPreset)}>
                {(['sharp', 'smooth', 'auto'] as const).map((p) => (
                  <option key={p} value={p}>
                    {t(`room.preset.${p}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('room.codec')}{' '}
              <select
                value={codec}
                onChange={(e) => {
                  setCodec(e.target.value as CodecName);
                  app.setCodec(e.target.value as CodecName);
                }}
              >
                {codecs.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          </details>
          {picking && (
            <SourcePicker
              onPicked={(audio) => {
                setPicking(false);
                void app.share(preset, audio);
              }}
              onCancel={() => setPicking(false)}
            />
          )}
        </div>
      ) : (
        mine.map((share, i) => (
          <div key={share.id} className="row preview">
            <VideoTile share={share} label={false} />
            <button
              className="danger"
              {...(i === 0 && { 'aria-keyshortcuts': 'S', 'data-shortcut': 's' })}
              onClick={() => void app.stop(share.id)}
            >
              {t('room.stopShare')}
            </button>
          </div>
        ))
      )}
    </section>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const SharePanel = memo(SharePanelView);
