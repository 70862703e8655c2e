import { useTranslation } from 'react-i18next';
import { CA_PATH, shortPin } from '../../../protocol/tls';
import { useApp, useRoom } from '../context';

/**
 * For a viewer on plain http: why the page can only watch, and one tap to the room's https page
 * as the same member (accepting the stage invitation there when `accept`). What the browser
 * shows the first time, and how to make it stop, is said here too.
 */
export function SecurePageOffer({ accept }: { accept: boolean }) {
  const { t } = useTranslation();
  const app = useApp();
  const secure = useRoom((s) => s.secure);
  const secureUrl = useRoom((s) => s.secureUrl);
  const pin = useRoom((s) => s.pin);
  if (secure || !secureUrl) return null;
  const go = () => {
    const url = app.secureHandoffUrl(window.location.search, accept);
    if (url) window.location.assign(url);
  };
  return (
    <div className="secure-offer" role="note">
      <p>{t('secure.why')}</p>
      <button className="primary" onClick={go}>
        {t(accept ? 'secure.acceptThere' : 'secure.open')}
      </button>
      {pin && (
        <p className="hint">
          {t('secure.firstVisit', { key: shortPin(pin) })}{' '}
          <a href={CA_PATH} download>
            {t('secure.installCa')}
          </a>
        </p>
      )}
    </div>
  );
}
