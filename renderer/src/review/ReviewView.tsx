import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Review, type ReviewEvent, type ReviewStream } from '../../../protocol';
import { LanguagePicker } from '../components/LanguagePicker';
import { BoardPages } from './BoardPages';
import { ThemeToggle } from '../components/ThemeToggle';
import { clock, eventsBy, needsSeek, streamTime } from './timeline';
import { useClassClock } from './useClassClock';

/**
 * A class record played back: every stream in place on one class clock (shares and cameras
 * side by side, voices heard), the chat and the class's events beside them (click one to go
 * there), and each file to download. `token` is the record's link (a teacher's or a shared one).
 */
export function ReviewView({ token, onClose }: { token: string; onClose?: () => void }) {
  const { t } = useTranslation();
  const base = `/records/${encodeURIComponent(token)}`;
  const [review, setReview] = useState<Review | null>(null);
  const [gone, setGone] = useState(false);
  useEffect(() => {
    let live = true;
    fetch(`${base}/review.json`, { cache: 'no-store' })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const parsed = Review.parse(await res.json());
        if (live) setReview(parsed);
      })
      .catch(() => live && setGone(true));
    return () => {
      live = false;
    };
  }, [base]);
  if (gone || !review) {
    return (
      <main className="center">
        <div className="card" role={gone ? 'alert' : 'status'} aria-busy={!gone}>
          <p>{gone ? t('review.gone') : t('review.loading')}</p>
          {onClose && <button onClick={onClose}>{t('review.back')}</button>}
        </div>
      </main>
    );
  }
  return <Player review={review} base={base} {...(onClose && { onClose })} />;
}

function Player({ review, base, onClose }: { review: Review; base: string; onClose?: () => void }) {
  const { t } = useTranslation();
  const duration = review.durationMs;
  const { t: now, playing, toggle, seek } = useClassClock(duration);
  const videos = review.streams.filter((s) => s.kind === 'video');
  const audios = review.streams.filter((s) => s.kind === 'audio');
  const showing = videos.filter((s) => streamTime(s, now, duration) !== null);
  return (
    <main className="review" aria-label={t('review.title')}>
      <header className="topbar">
        {onClose && (
          <button className="secondary" onClick={onClose}>
            <span aria-hidden="true">← </span>
            {t('review.back')}
          </button>
        )}
        <h1>{review.title}</h1>
        <time className="muted-text" dateTime={new Date(review.startedAt).toISOString()}>
          {new Date(review.startedAt).toLocaleString()}
        </time>
        <span className="muted-text">{t('review.startedBy', { name: review.startedBy })}</span>
        <span className="grow" />
        <LanguagePicker />
        <ThemeToggle />
      </header>
      <section
        className={`review-stage n${Math.min(showing.length, 4)}`}
        aria-label={t('review.stage')}
      >
        {[...videos, ...audios].map((s) => (
          <StreamTile
            key={s.file}
            stream={s}
            base={base}
            now={now}
            playing={playing}
            duration={duration}
          />
        ))}
        {showing.length === 0 && <p className="review-empty">{t('review.nothing')}</p>}
      </section>
      <div className="review-controls" role="group" aria-label={t('review.controls')}>
        <button onClick={toggle} aria-label={playing ? t('review.pause') : t('review.play')}>
          <span aria-hidden="true">{playing ? '❚❚' : '▶'}</span>
        </button>
        <input
          type="range"
          min={0}
          max={Math.max(1, Math.round(duration))}
          step={100}
          value={Math.round(now)}
          aria-label={t('review.position')}
          aria-valuetext={clock(now)}
          onChange={(e) => seek(Number(e.target.value))}
        />
        <span className="review-time" data-ms={Math.round(now)}>
          {clock(now)} / {clock(duration)}
        </span>
      </div>
      <aside className="review-side" aria-label={t('review.events')}>
        <h2 className="panel-title">{t('review.events')}</h2>
        <EventLog events={review.events} now={now} onSeek={seek} />
        <BoardPages boards={review.boards ?? []} base={base} now={now} onSeek={seek} />
        <h2 className="panel-title">{t('review.downloads')}</h2>
        <ul className="review-files">
          {review.video && (
            <li>
              <a href={`${base}/${review.video}?download`} download>
                {t('review.oneVideo')}
              </a>
            </li>
          )}
          {review.streams.map((s) => (
            <li key={s.file}>
              <a href={`${base}/${s.file}?download`} download>
                {s.peer} — {s.label || t(`review.kind.${s.kind}`)} ({s.file})
              </a>
            </li>
          ))}
        </ul>
      </aside>
    </main>
  );
}

/** One recorded stream, kept on the class clock: it plays, pauses and seeks with it. */
function StreamTile(props: {
  stream: ReviewStream;
  base: string;
  now: number;
  playing: boolean;
  duration: number;
}) {
  const { stream: s, base, now, playing, duration } = props;
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const at = streamTime(s, now, duration);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (at === null) {
      if (!el.paused) el.pause();
      return;
    }
    if (needsSeek(el.currentTime, at, playing && !el.paused)) el.currentTime = at;
    if (playing && el.paused) void el.play().catch(() => undefined);
    if (!playing && !el.paused) el.pause();
  }, [at, playing]);
  const src = `${base}/${s.file}`;
  if (s.kind === 'audio') return <audio ref={ref} src={src} preload="auto" data-file={s.file} />;
  return (
    <figure className="review-tile" hidden={at === null} data-file={s.file}>
      <video ref={ref} src={src} preload="auto" muted playsInline />
      <figcaption>
        {s.peer}
        {s.label && ` — ${s.label}`}
      </figcaption>
    </figure>
  );
}

/** The chat and the class's events, all of them; what is still to come is dimmed, now in view. */
function EventLog({
  events,
  now,
  onSeek,
}: {
  events: readonly ReviewEvent[];
  now: number;
  onSeek: (t: number) => void;
}) {
  const { t } = useTranslation();
  const shown = eventsBy(events, now);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.children[Math.max(0, shown - 1)]?.scrollIntoView({ block: 'nearest' });
  }, [shown]);
  if (events.length === 0) return <p className="hint">{t('review.noEvents')}</p>;
  return (
    <ol className="review-events" ref={list}>
      {events.map((e, i) => (
        <li key={i} className={`ev-${e.kind}${i >= shown ? ' later' : ''}`}>
          <button className="link" onClick={() => onSeek(e.t)}>
            {clock(e.t)}
          </button>{' '}
          {e.kind === 'chat' ? (
            <>
              <strong>{e.name}</strong> {e.text}
            </>
          ) : (
            <span className="muted-text">
              {e.kind === 'shareStarted' && !e.text
                ? t('review.event.shareStartedBy', { name: e.name })
                : t(`review.event.${e.kind}`, { name: e.name, text: e.text ?? '' })}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
