import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CODECS, type CodecPreference } from '../../../protocol/codecs';
import type { DesktopSettings, DesktopSettingsPatch, DisplayInfo } from '../../../protocol/desktop';
import type { Language } from '../../../protocol/languages';
import { LanguageOptions } from '../components/LanguagePicker';
import { desktop } from '../desktop';
import { i18next } from '../i18n';
import { createLog } from '../log';

const log = createLog('settings');

/**
 * The desktop app's settings (room screen name, display, port, codec, language, start at login,
 * the school's cloud link) and *Export diagnostics*. Only in the app: a browser has no bridge.
 */
export function SettingsView({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<DesktopSettings | null>(null);
  const [draft, setDraft] = useState<DesktopSettings | null>(null);
  const [token, setToken] = useState('');
  const [displays, setDisplays] = useState<DisplayInfo[]>([]);
  // A message key (translated when shown: saving may change the language).
  const [status, setStatus] = useState<{ key: string; file?: string } | null>(null);
  useEffect(() => {
    if (!desktop) return;
    desktop
      .getSettings()
      .then((s) => {
        setSaved(s);
        setDraft(s);
      })
      .catch((err: unknown) => log.warn('settings not read', err));
    desktop
      .listDisplays()
      .then(setDisplays)
      .catch((err: unknown) => log.warn('displays not listed', err));
  }, []);
  if (!desktop || !draft || !saved) return null;
  const set = (patch: Partial<DesktopSettings>) => setDraft({ ...draft, ...patch });
  const cloud = draft.cloud ?? { url: '', roomId: '', chat: false };
  const setCloud = (patch: Partial<typeof cloud>) => set({ cloud: { ...cloud, ...patch } });

  const tls = draft.tls ?? { certFile: '', keyFile: '' };
  const setTls = (patch: Partial<typeof tls>) => set({ tls: { ...tls, ...patch } });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const { cloudTokenSet: _t, cloud: link, tls: school, ...fields } = draft;
    const patch: DesktopSettingsPatch = {
      ...fields,
      cloud: link && link.url.trim() !== '' ? { ...link, url: link.url.trim() } : null,
      tls: school && school.certFile.trim() !== '' ? school : null,
      ...(token.trim() !== '' && { cloudToken: token.trim() }),
    };
    try {
      const next = await desktop!.setSettings(patch);
      setSaved(next);
      setDraft(next);
      setToken('');
      setStatus({ key: 'settings.saved' });
      if (next.language !== i18next.language) await i18next.changeLanguage(next.language);
    } catch (err) {
      log.warn('settings not saved', err);
      setStatus({ key: 'settings.invalid' });
    }
  };
  const forgetToken = async () => {
    const next = await desktop!.setSettings({ cloudToken: null });
    setSaved(next);
    setDraft({ ...draft, cloudTokenSet: next.cloudTokenSet });
  };
  const exportDiagnostics = async () => {
    try {
      setStatus({ key: 'settings.exported', file: await desktop!.exportDiagnostics() });
    } catch (err) {
      log.warn('diagnostics not written', err);
      setStatus({ key: 'settings.exportFailed' });
    }
  };

  return (
    <main className="center">
      <form
        className="card settings"
        onSubmit={(e) => void save(e)}
        aria-label={t('settings.title')}
      >
        <h1>{t('settings.title')}</h1>
        <fieldset>
          <legend>{t('settings.screen')}</legend>
          <label>
            {t('settings.roomName')}
            <input
              value={draft.roomName}
              maxLength={60}
              required
              onChange={(e) => set({ roomName: e.target.value })}
            />
          </label>
          <label>
            {t('settings.display')}
            <select
              value={draft.displayId ?? ''}
              onChange={(e) => set({ displayId: e.target.value || null })}
            >
              <option value="">{t('settings.primaryDisplay')}</option>
              {displays.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                  {d.primary ? ` (${t('settings.primary')})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('settings.port')}
            <input
              type="number"
              min={1024}
              max={65535}
              value={draft.port}
              onChange={(e) => set({ port: Number(e.target.value) })}
            />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.startAtLogin}
              onChange={(e) => set({ startAtLogin: e.target.checked })}
            />{' '}
            {t('settings.startAtLogin')}
          </label>
          <small>{t('settings.restartNote')}</small>
        </fieldset>
        <fieldset>
          <legend>{t('settings.sharing')}</legend>
          <label>
            {t('room.codec')}
            <select
              value={draft.codec}
              onChange={(e) => set({ codec: e.target.value as CodecPreference })}
            >
              <option value="auto">{t('room.preset.auto')}</option>
              {CODECS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            {t('language')}
            <select
              value={draft.language}
              onChange={(e) => set({ language: e.target.value as Language })}
            >
              <LanguageOptions />
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>{t('settings.tls')}</legend>
          <small>{t('settings.tlsHint')}</small>
          <label>
            {t('settings.tlsCert')}
            <input
              value={tls.certFile}
              placeholder="/etc/ssl/room101.pem"
              onChange={(e) => setTls({ certFile: e.target.value })}
            />
          </label>
          <label>
            {t('settings.tlsKey')}
            <input
              value={tls.keyFile}
              placeholder="/etc/ssl/private/room101.key"
              onChange={(e) => setTls({ keyFile: e.target.value })}
            />
          </label>
        </fieldset>
        <fieldset>
          <legend>{t('settings.cloud')}</legend>
          <label>
            {t('settings.cloudUrl')}
            <input
              value={cloud.url}
              placeholder="wss://cloud.school.example/link"
              spellCheck={false}
              onChange={(e) => setCloud({ url: e.target.value })}
            />
          </label>
          <label>
            {t('settings.cloudRoom')}
            <input
              value={cloud.roomId}
              spellCheck={false}
              onChange={(e) => setCloud({ roomId: e.target.value })}
            />
          </label>
          <label>
            {t('settings.cloudToken')}
            <input
              type="password"
              value={token}
              autoComplete="off"
              placeholder={draft.cloudTokenSet ? t('settings.cloudTokenStored') : ''}
              onChange={(e) => setToken(e.target.value)}
            />
          </label>
          {draft.cloudTokenSet && (
            <button type="button" className="secondary" onClick={() => void forgetToken()}>
              {t('settings.cloudTokenForget')}
            </button>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={cloud.chat}
              onChange={(e) => setCloud({ chat: e.target.checked })}
            />{' '}
            {t('settings.cloudChat')}
          </label>
        </fieldset>
        <div className="row">
          <button type="submit">{t('settings.save')}</button>
          <button type="button" className="secondary" onClick={() => void exportDiagnostics()}>
            {t('settings.export')}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('settings.close')}
          </button>
        </div>
        {status && (
          <p role="status" className="notice">
            {t(status.key, { file: status.file })}
          </p>
        )}
      </form>
    </main>
  );
}
