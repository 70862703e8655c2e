/** A record's background jobs on the host, as its row in the records dialog shows them. */
import { useTranslation } from 'react-i18next';
import type { RecordSummary } from '../../../protocol';
import { useApp, useRoom } from '../context';

/** "Export as one video": the button, the job's progress, then the MP4 to download. */
export function ExportRow({ record: r, page }: { record: RecordSummary; page: string }) {
  const { t } = useTranslation();
  const { records } = useApp();
  const e = r.export;
  if (r.recording) return null;
  if (e?.state === 'done' && e.file) {
    const token = new URL(r.view, page).searchParams.get('record') ?? '';
    const href = new URL(`/records/${token}/${e.file}?download`, page).href;
    return (
      <div className="record-export">
        <a className="button secondary" href={href} download>
          {t('records.downloadVideo')}
        </a>
      </div>
    );
  }
  if (e?.state === 'queued' || e?.state === 'running') {
    const pct = Math.round(e.progress * 100);
    return (
      <div className="record-export">
        <progress value={e.progress} max={1} aria-label={t('records.exporting')} />
        <span className="hint" role="status">
          {e.state === 'queued' ? t('records.exportQueued') : t('records.exportingPct', { pct })}
        </span>
      </div>
    );
  }
  return (
    <div className="record-export">
      <button className="secondary" onClick={() => void records.exportVideo(r)}>
        {t('records.export')}
      </button>
      {e?.state === 'failed' && (
        <span className="hint" role="alert">
          {t('records.exportFailed')}
        </span>
      )}
    </div>
  );
}

/** Upload to the cloud (when the host is linked to one): the button, its progress, then done. */
export function UploadRow({ record: r }: { record: RecordSummary }) {
  const { t } = useTranslation();
  const { records } = useApp();
  const cloud = useRoom((s) => s.recordsCloud);
  const u = r.upload;
  if (!cloud || r.recording) return null;
  if (u?.state === 'done') {
    return (
      <div className="record-export">
        <span className="chip" role="status">
          <span aria-hidden="true">✓ </span>
          {t('records.uploaded')}
        </span>
      </div>
    );
  }
  if (u?.state === 'queued' || u?.state === 'uploading') {
    const pct = Math.round(u.progress * 100);
    return (
      <div className="record-export">
        <progress value={u.progress} max={1} aria-label={t('records.uploading')} />
        <span className="hint" role="status">
          {u.state === 'queued' ? t('records.uploadQueued') : t('records.uploadingPct', { pct })}
        </span>
      </div>
    );
  }
  return (
    <div className="record-export">
      <button className="secondary" onClick={() => void records.upload(r)}>
        {t('records.upload')}
      </button>
      {u?.state === 'failed' && (
        <span className="hint" role="alert">
          {t('records.uploadFailed')}
        </span>
      )}
    </div>
  );
}
