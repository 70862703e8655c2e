import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaptureSource } from '../../../protocol/desktop';
import { desktop } from '../desktop';

/**
 * The desktop app's own source picker: screens and windows with thumbnails and app icons. The
 * pick goes to main, which hands it to the next getDisplayMedia call.
 */
export function SourcePicker({
  onPicked,
  onCancel,
}: {
  /** `audio`: the system's sound too (Windows loopback). */
  onPicked(audio: boolean): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [sources, setSources] = useState<CaptureSource[] | null>(null);
  const [audio, setAudio] = useState(false);
  useEffect(() => {
    void desktop?.listSources().then(setSources);
  }, []);
  const pick = async (id: string) => {
    await desktop?.pickSource(id, audio);
    onPicked(audio);
  };
  const group = (kind: CaptureSource['kind']) => (sources ?? []).filter((s) => s.kind === kind);
  return (
    <div className="modal" role="dialog" aria-modal="true" aria-label={t('picker.title')}>
      <div className="card picker">
        <h2>{t('picker.title')}</h2>
        {sources === null && <p>{t('picker.loading')}</p>}
        {(['screen', 'window'] as const).map((kind) =>
          group(kind).length === 0 ? null : (
            <section key={kind}>
              <h3>{t(kind === 'screen' ? 'picker.screens' : 'picker.windows')}</h3>
              <ul className="sources">
                {group(kind).map((s) => (
                  <li key={s.id}>
                    <button className="source" onClick={() => void pick(s.id)}>
                      <img src={s.thumbnail} alt="" />
                      <span>
                        {s.appIcon && <img className="app-icon" src={s.appIcon} alt="" />}
                        {s.name}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ),
        )}
        <div className="row">
          {desktop?.platform === 'win32' && (
            <label>
              <input type="checkbox" checked={audio} onChange={(e) => setAudio(e.target.checked)} />{' '}
              {t('picker.audio')}
            </label>
          )}
          <button className="secondary" onClick={onCancel}>
            {t('picker.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
