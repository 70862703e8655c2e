import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordSummary } from '../../../protocol';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useApp, useRoom } from '../context';
import { ExportRow, UploadRow } from './RecordJobs';
import { bytes, clock } from './timeline';

/**
 * Teacher: the class records this room host keeps, newest first. Each plays here, can be given
 * to the students as a link (revocable), and deleted.
 */
export function RecordsDialog({
  onPlay,
  onClose,
}: {
  onPlay: (record: RecordSummary) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { records } = useApp();
  const list = useRoom((s) => s.records);
  const ref = useRef<HTMLDialogElement>(null);
  const [deleting, setDeleting] = useState<RecordSummary | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    void records.refresh();
  }, [records]);
  return (
    <dialog
      ref={ref}
      className="confirm records"
      aria-labelledby="records-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="row">
        <h2 id="records-title">{t('records.title')}</h2>
        <span className="grow" />
        <button className="secondary" onClick={onClose}>
          {t('records.close')}
        </button>
      </div>
      {list.length === 0 ? (
        <p className="hint">{t('records.none')}</p>
      ) : (
        <ul className="record-list" aria-label={t('records.title')}>
          {list.map((r) => (
            <RecordRow
              key={r.id}
              record={r}
              onPlay={() => onPlay(r)}
              onDelete={() => setDeleting(r)}
            />
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('records.deleteTitle')}
          body={t('records.deleteBody')}
          confirm={t('records.delete')}
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            void records.remove(deleting);
            setDeleting(null);
          }}
        />
      )}
    </dialog>
  );
}

function RecordRow({
  record: r,
  onPlay,
  onDelete,
}: {
  record: RecordSummary;
  onPlay: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const { records } = useApp();
  const joinUrl = useRoom((s) => s.joinUrl);
  const [copied, setCopied] = useState(false);
  // Students open the plain http page (viewing needs no certificate); the host names it.
  const shared = r.shared && new URL(r.shared, joinUrl ?? window.location.href).href;
  // The desktop app's own pages may fetch only the app (its CSP): records play in a browser.
  const inApp = !/^https?:$/.test(window.location.protocol);
  const own = inApp && joinUrl ? new URL(r.view, joinUrl).href : null;
  return (
    <li data-record={r.id}>
      <div className="record-head">
        <strong>{r.title}</strong>{' '}
        <time dateTime={new Date(r.startedAt).toISOString()}>
          {new Date(r.startedAt).toLocaleString()}
        </time>{' '}
        <span className="chip">{clock(r.durationMs)}</span>{' '}
        {r.recording && <span className="chip rec-badge-inline">{t('records.recordingNow')}</span>}
        {!r.recording && r.endedAt === null && (
          <span className="chip">{t('records.unfinished')}</span>
        )}
      </div>
      <p className="hint">
        {r.sharers.length > 0
          ? t('records.by', { names: r.sharers.join(', ') })
          : t('records.nobody')}{' '}
        · {bytes(r.bytes)}
      </p>
      <div className="row">
        {!inApp && (
          <button onClick={onPlay} disabled={r.recording}>
            <span aria-hidden="true">▶ </span>
            {t('records.play')}
          </button>
        )}
        {shared ? (
          <button className="secondary" onClick={() => void records.unshare(r)}>
            {t('records.unshare')}
          </button>
        ) : (
          <button className="secondary" onClick={() => void records.share(r)}>
            {t('records.share')}
          </button>
        )}
        <button className="danger" onClick={onDelete} disabled={r.recording}>
          {t('records.delete')}
        </button>
      </div>
      <ExportRow record={r} page={joinUrl ?? window.location.href} />
      <UploadRow record={r} />
      {own && (
        <div className="record-link">
          <input readOnly value={own} aria-label={t('records.ownLink')} />
          <p className="hint">{t('records.openInBrowser')}</p>
        </div>
      )}
      {shared && (
        <div className="record-link">
          <input readOnly value={shared} aria-label={t('records.link')} />
          <button
            className="secondary"
            onClick={() => {
              void navigator.clipboard?.writeText(shared).then(() => setCopied(true));
            }}
          >
            {copied ? t('records.copied') : t('records.copy')}
          </button>
          <p className="hint">{t('records.linkHint')}</p>
        </div>
      )}
    </li>
  );
}
