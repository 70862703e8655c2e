import { useCallback, useState } from 'react';
import { EXPORT_FILE, type CloudRecord } from '../../../protocol';
import { api } from './api';
import { useT } from './i18n';
import { usePoll } from './usePoll';

/**
 * The class records the room's host uploaded: newest first, each with its length, who shared,
 * its size, the exported video and every file to download (signed links), and delete.
 */
export function Records({ roomId }: { roomId: string }) {
  const { t } = useT();
  const load = useCallback(() => api.records(roomId), [roomId]);
  const { data, refresh } = usePoll(load, 10_000);
  const [problem, setProblem] = useState('');
  if (!data) return null;
  const remove = (r: CloudRecord) => {
    if (!window.confirm(t('records.deleteConfirm', { title: r.title ?? r.id }))) return;
    api.deleteRecord(roomId, r.id).then(
      () => refresh(),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <section className="panel records" aria-labelledby="records-title">
      <h2 id="records-title">{t('records.title')}</h2>
      {!data.uploads && <p className="muted">{t('records.off')}</p>}
      {data.uploads && data.records.length === 0 && <p className="muted">{t('records.none')}</p>}
      {data.records.length > 0 && (
        <ul className="classes">
          {data.records.map((r) => (
            <Record key={r.id} r={r} onDelete={() => remove(r)} />
          ))}
        </ul>
      )}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

function Record({ r, onDelete }: { r: CloudRecord; onDelete: () => void }) {
  const { t, lang } = useT();
  const video = r.files.find((f) => f.name === EXPORT_FILE);
  const when = new Date(r.startedAt ?? r.uploadedAt).toLocaleString(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

  const download = (url: string) => `${url}&download`;
  return (
    <li data-record={r.id}>
      <div className="occurrence">
        <strong>{r.title ?? r.id}</strong> <span className="muted">{when}</span>
        {r.durationMs !== null && <span className="muted"> · {clock(r.durationMs)}</span>}
        {!r.complete && <span className="badge">{t('records.arriving')}</span>}
      </div>
      <p className="muted">
        {r.sharers.length > 0
          ? t('records.by', { names: r.sharers.join(', ') })
          : t('records.nobody')}
        {' · '}
        {(r.bytes / 1024 ** 2).toFixed(1)} MB
      </p>
      <div className="row">
        {video && (
          <a className="button" href={download(video.url)}>
            {t('records.video')}
          </a>
        )}
        <button className="danger" onClick={onDelete}>
          {t('records.delete')}
        </button>
      </div>
      <details>
        <summary>{t('records.files', { count: r.files.length })}</summary>
        <ul className="files">
          {r.files.map((f) => (
            <li key={f.name}>
              <a href={download(f.url)}>{f.name}</a>{' '}
              <span className="muted">{(f.bytes / 1024 ** 2).toFixed(1)} MB</span>
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}

/** A length as the players show it: 1:02:03, 4:05. */
function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, '0')}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, '0')}` : mmss;
}
