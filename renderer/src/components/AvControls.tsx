import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useRoom } from '../context';
import { selectMe } from '../store';
import { LevelMeter } from './LevelMeter';

/** Microphone, camera, speaker pickers (hot-plug refreshes them). */
function DevicePickers() {
  const { t } = useTranslation();
  const { av } = useApp();
  const devices = useRoom((s) => s.devices);
  const chosen = {
    audioinput: useRoom((s) => s.micDevice),
    videoinput: useRoom((s) => s.cameraDevice),
    audiooutput: useRoom((s) => s.speakerDevice),
  };
  const pickers = [
    ['audioinput', 'mic', 'av.micDevice'],
    ['videoinput', 'camera', 'av.cameraDevice'],
    ['audiooutput', 'speaker', 'av.speakerDevice'],
  ] as const;
  return (
    <div className="row devices">
      {pickers.map(([kind, which, label]) => (
        <label key={kind}>
          {t(label)}{' '}
          <select
            value={chosen[kind]}
            onFocus={() => void av.refreshDevices()}
            onChange={(e) => void av.choose(which, e.target.value)}
          >
            <option value="">{t('av.default')}</option>
            {devices
              .filter((d) => d.kind === kind && d.id !== '' && d.id !== 'default')
              .map((d, i) => (
                <option key={d.id} value={d.id}>
                  {d.label || `${t(label)} ${i + 1}`}
                </option>
              ))}
          </select>
        </label>
      ))}
    </div>
  );
}

/** Whether this device may switch its microphone or camera on now (students: on stage for it). */
function useAvAllowed() {
  const me = useRoom(selectMe);
  return (what: 'mic' | 'camera') =>
    me !== undefined &&
    (me.role !== 'student' || (me.stage === 'on' && (me.stageMedia ?? []).includes(what)));
}

/** Microphone and camera on/off: the two buttons a toolbar shows. */
function AvButtonsView() {
  const { t } = useTranslation();
  const { av } = useApp();
  const me = useRoom(selectMe);
  const mic = useRoom((s) => s.mic);
  const camera = useRoom((s) => s.camera);
  const allowed = useAvAllowed();
  if (!me || !av.canCapture) return null;
  const mutedAudio = me.muted?.audio === true;
  const mutedVideo = me.muted?.video === true;
  return (
    <>
      <button
        className={`toggle${mic ? ' on' : ''}`}
        aria-pressed={mic !== null}
        aria-keyshortcuts="M"
        data-shortcut="m"
        disabled={!allowed('mic') || (mutedAudio && !mic)}
        onClick={() => void (mic ? av.micOff() : av.micOn())}
      >
        {mic ? t('av.micOff') : t('av.micOn')}
      </button>
      <button
        className={`toggle${camera ? ' on' : ''}`}
        aria-pressed={camera !== null}
        aria-keyshortcuts="C"
        data-shortcut="c"
        disabled={!allowed('camera') || (mutedVideo && !camera)}
        onClick={() => void (camera ? av.cameraOff() : av.cameraOn())}
      >
        {camera ? t('av.cameraOff') : t('av.cameraOn')}
      </button>
    </>
  );
}

/**
 * Everything around the two buttons: music mode, a local test with a level meter and a
 * self-view before anything is sent, device choice, and what the teacher switched off.
 */
function AvSettingsView() {
  const { t } = useTranslation();
  const app = useApp();
  const { av } = app;
  const me = useRoom(selectMe);
  const mic = useRoom((s) => s.mic);
  const camera = useRoom((s) => s.camera);
  const music = useRoom((s) => s.music);
  const previewing = useRoom((s) => s.previewing);
  const shares = useRoom((s) => s.shares);
  useRoom((s) => s.mediaRevision);
  const micStream = useMemo(() => {
    const id = mic ? shares[mic]?.streamId : undefined;
    return id ? app.engine.streamFor(id) : undefined;
  }, [mic, shares, app]);
  const camStream = camera ? shares[camera]?.streamId : undefined;
  if (!me) return null;
  if (!av.canCapture) {
    return (
      <section className="av" aria-label={t('av.title')}>
        <p className="notice">{t('av.insecure')}</p>
      </section>
    );
  }
  const mutedAudio = me.muted?.audio === true;
  const mutedVideo = me.muted?.video === true;
  const preview = av.previewStream;
  return (
    <section className="av card-section" aria-label={t('av.title')}>
      <div className="row">
        <label className="check" title={t('av.musicHint')}>
          <input
            type="checkbox"
            checked={music}
            onChange={(e) => void av.setMusic(e.target.checked)}
          />{' '}
          {t('av.music')}
        </label>
        {!mic && !camera && (
          <button
            className="secondary"
            onClick={() => (previewing ? av.stopPreview() : void av.startPreview())}
          >
            {previewing ? t('av.stopTest') : t('av.test')}
          </button>
        )}
        <LevelMeter stream={micStream ?? preview} label={t('av.level')} />
      </div>
      {(mutedAudio || mutedVideo) && (
        <p className="notice" role="status">
          {mutedAudio && mutedVideo
            ? t('av.mutedAll')
            : mutedAudio
              ? t('av.mutedMic')
              : t('av.mutedCamera')}{' '}
          {me.unmuteAsked ? (
            <small>{t('av.asked')}</small>
          ) : (
            <button className="secondary" onClick={() => av.askUnmute()}>
              {t('av.ask')}
            </button>
          )}
        </p>
      )}
      {(camStream || previewing) && (
        <SelfView stream={(camStream ? app.engine.streamFor(camStream) : preview) ?? null} />
      )}
      <details className="options">
        <summary>{t('av.devices')}</summary>
        <DevicePickers />
      </details>
    </section>
  );
}

/** My camera as I see it (mirrored), before and while it is sent. */
export function SelfView({ stream }: { stream: MediaStream | null }) {
  const { t } = useTranslation();
  return (
    <video
      className="self-view"
      aria-label={t('av.selfView')}
      autoPlay
      muted
      playsInline
      ref={(el) => {
        if (el && el.srcObject !== stream) el.srcObject = stream;
      }}
    />
  );
}

/** Voices and faces for this device: the buttons and their settings together. */
export function AvControls() {
  return (
    <>
      <div className="row av-buttons">
        <AvButtons />
      </div>
      <AvSettings />
    </>
  );
}

/** "Sound on this device", and the one click a browser may need before it plays. */
function SoundControlsView() {
  const { t } = useTranslation();
  const { av } = useApp();
  const soundOn = useRoom((s) => s.soundOn);
  const blocked = useRoom((s) => s.soundBlocked);
  return (
    <>
      <label className="sound-toggle" title={t('av.soundHint')}>
        <input type="checkbox" checked={soundOn} onChange={(e) => av.setSound(e.target.checked)} />{' '}
        {t('av.soundHere')}
      </label>
      {soundOn && blocked && <SoundBlocked />}
    </>
  );
}

/** A big, clear button when the browser will not play sound without a click. */
export function SoundBlocked() {
  const { t } = useTranslation();
  const { av } = useApp();
  return (
    <button className="sound-blocked" onClick={() => av.playbackAllowed()}>
      🔊 {t('av.clickForSound')}
    </button>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const AvButtons = memo(AvButtonsView);
export const SoundControls = memo(SoundControlsView);
export const AvSettings = memo(AvSettingsView);
