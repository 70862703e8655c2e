import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from '../controller/shortcuts';

/** The `?` overlay: every shortcut and what it does. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="modal" onClick={onClose}>
      <section
        className="card shortcuts"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape' || e.key === '?') onClose();
        }}
      >
        <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
        <dl>
          {SHORTCUTS.map((s) => (
            <div key={s.key} className="shortcut">
              <dt>
                <kbd>{s.key.toUpperCase()}</kbd>
              </dt>
              <dd>{t(`shortcuts.${s.action}`)}</dd>
            </div>
          ))}
          <div className="shortcut">
            <dt>
              <kbd>+</kbd> <kbd>−</kbd> <kbd>0</kbd>
            </dt>
            <dd>{t('shortcuts.zoom')}</dd>
          </div>
        </dl>
        <button autoFocus onClick={onClose}>
          {t('shortcuts.close')}
        </button>
      </section>
    </div>
  );
}
