import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { UpcomingClass } from '../../../protocol';
import { useT } from './i18n';

/** A class's join link and its QR code (to print, mail or put on a slide), and the https link. */
export function ClassLink({ c }: { c: UpcomingClass }) {
  const { t } = useT();
  const [qr, setQr] = useState('');
  useEffect(() => {
    if (c.link) void QRCode.toString(c.link, { type: 'svg', margin: 1 }).then(setQr);
  }, [c.link]);
  if (!c.link) return <p className="muted">{t('schedule.noAddress')}</p>;
  return (
    <div className="class-link">
      <div
        className="qr"
        role="img"
        aria-label={t('schedule.qr', { title: c.title })}
        dangerouslySetInnerHTML={{ __html: qr }}
      />
      <dl>
        <dt>{t('schedule.watchLink')}</dt>
        <dd>
          <Copyable text={c.link} />
        </dd>
        {c.secureLink && (
          <>
            <dt>{t('schedule.teachLink')}</dt>
            <dd>
              <Copyable text={c.secureLink} />
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

/** A link with a button that copies it. */
export function Copyable({ text }: { text: string }) {
  const { t } = useT();
  return (
    <span className="copyable">
      <a href={text} target="_blank" rel="noreferrer">
        {text}
      </a>
      <button onClick={() => void navigator.clipboard?.writeText(text)}>{t('copy')}</button>
    </span>
  );
}
