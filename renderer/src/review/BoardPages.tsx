import { useTranslation } from 'react-i18next';
import type { Review } from '../../../protocol';
import { clock } from './timeline';

/** The board's pages kept in the record, each with when it was taken (click: go there). */
export function BoardPages({
  boards,
  base,
  now,
  onSeek,
}: {
  boards: NonNullable<Review['boards']>;
  base: string;
  now: number;
  onSeek: (t: number) => void;
}) {
  const { t } = useTranslation();
  if (boards.length === 0) return null;
  return (
    <>
      <h2 className="panel-title">{t('review.board')}</h2>
      <ul className="review-boards">
        {boards.map((b) => (
          <li key={b.file} className={b.t > now ? 'later' : ''}>
            <a href={`${base}/${b.file}`} target="_blank" rel="noreferrer">
              <img
                src={`${base}/${b.file}`}
                alt={t('review.boardPage', { page: b.page, at: clock(b.t) })}
                loading="lazy"
              />
            </a>
            <button className="link" onClick={() => onSeek(b.t)}>
              {t('review.boardPage', { page: b.page, at: clock(b.t) })}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
