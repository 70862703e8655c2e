import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { selectStage, useRoom } from '../store';
import { ConnectionDot, ReactionsFeed, VideoTile } from './parts';

/** The big screen: code and QR while idle; the stage in the chosen layout while shares run. */
export function ScreenView() {
  const { t } = useTranslation();
  const room = useRoom((s) => s.room);
  const code = useRoom((s) => s.code);
  const joinUrl = useRoom((s) => s.joinUrl);
  const shares = useRoom((s) => s.shares);
  const layout = useRoom((s) => s.layout);
  const stage = useMemo(() => selectStage(shares, layout), [shares, layout]);
  const [qr, setQr] = useState('');
  const url = `${joinUrl ?? `${window.location.origin}/`}?code=${code ?? ''}`;
  useEffect(() => {
    void QRCode.toString(url, { type: 'svg', margin: 1 }).then(setQr);
  }, [url]);
  if (stage.length > 0) {
    return (
      <main className={`stage stage-${layout.mode}`} data-layout={layout.mode}>
        {stage.map((share) => (
          <VideoTile key={share.id} share={share} />
        ))}
        <ConnectionDot />
        <ReactionsFeed />
      </main>
    );
  }
  return (
    <main className="idle" data-layout="idle">
      <h1>{room?.name}</h1>
      <p className="code-label">{t('screen.code')}</p>
      <p className="code" aria-label="join code">
        {code ? `${code.slice(0, 3)} ${code.slice(3)}` : ''}
      </p>
      <div className="qr" dangerouslySetInnerHTML={{ __html: qr }} />
      <p className="url">
        {t('screen.joinAt')} {url}
      </p>
      <ConnectionDot />
      <ReactionsFeed />
    </main>
  );
}
