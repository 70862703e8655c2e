import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LAYOUT_MODES, LAYOUT_SLOTS, type LayoutMode } from '../../../protocol';
import { useApp, useRoom } from '../context';
import { moved, stageCandidates } from '../store/stageOrder';
import { BoardCanvas } from '../board/BoardCanvas';
import { EmptyState } from './EmptyState';
import { VideoTile } from './VideoTile';

/** A small picture of a layout: one box, two side by side, four in a grid. */
function LayoutPicture({ mode }: { mode: LayoutMode }) {
  return (
    <span className={`layout-picture layout-${mode}`} aria-hidden="true">
      {Array.from({ length: LAYOUT_SLOTS[mode] }, (_, i) => (
        <i key={i} />
      ))}
    </span>
  );
}

/**
 * What the room screen shows now: the layout (pictures to pick from, arrow keys between them),
 * live thumbnails of its slots in order (drag, or the move buttons, to reorder), and what is
 * shared but not shown.
 */
function StagePanelView() {
  const { t } = useTranslation();
  const { moderation, board } = useApp();
  const annotations = useRoom((s) => s.annotations);
  const shares = useRoom((s) => s.shares);
  const layout = useRoom((s) => s.layout);
  const page = useRoom((s) => s.board?.page ?? 0);
  const boardOpen = useRoom((s) => s.board !== null);
  const candidates = useMemo(
    () => stageCandidates(shares, layout, boardOpen),
    [shares, layout, boardOpen],
  );
  const [dragged, setDragged] = useState<number | null>(null);
  const slots = LAYOUT_SLOTS[layout.mode];
  const reorder = (from: number, to: number) =>
    moderation.setLayout(layout.mode, moved(candidates, from, to));
  return (
    <section className="stage-panel" aria-labelledby="stage-title">
      <h2 id="stage-title">{t('stage.title')}</h2>
      <fieldset className="layout-picker">
        <legend>{t('room.layout')}</legend>
        {LAYOUT_MODES.map((m) => (
          <label key={m} className={`layout-pick${layout.mode === m ? ' chosen' : ''}`}>
            <input
              type="radio"
              name="layout"
              value={m}
              checked={layout.mode === m}
              onChange={() => moderation.setLayout(m, candidates)}
            />
            <LayoutPicture mode={m} />
            <span>{t(`room.layout.${m}`)}</span>
          </label>
        ))}
      </fieldset>
      {candidates.length === 0 ? (
        <EmptyState icon="📺" title={t('stage.empty')} hint={t('stage.emptyHint')} />
      ) : (
        <ol className={`slots slots-${layout.mode}`} aria-label={t('stage.slots')}>
          {candidates.map((s, i) => (
            <li
              key={s.id}
              className={`slot${i >= slots ? ' hidden-slot' : ''}${dragged === i ? ' dragging' : ''}`}
              draggable
              onDragStart={(e) => {
                setDragged(i);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onDragEnd={() => setDragged(null)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                if (dragged !== null) reorder(dragged, i);
                setDragged(null);
              }}
            >
              {s.share ? (
                <VideoTile share={s.share} className="thumb" />
              ) : (
                <figure className="tile thumb board-thumb">
                  <BoardCanvas page={page} label={t('stage.board')} />
                  <figcaption>{t('stage.board')}</figcaption>
                </figure>
              )}
              <span className="slot-state">
                {i < slots ? t('stage.slot', { n: i + 1 }) : t('stage.notShown')}
              </span>
              <span className="slot-moves">
                {s.share && (annotations[s.share.id]?.length ?? 0) > 0 && (
                  <button
                    className="icon"
                    aria-label={t('annotate.clear')}
                    title={t('annotate.clear')}
                    onClick={() => board.clear({ share: s.id })}
                  >
                    <span aria-hidden="true">⌫</span>
                  </button>
                )}
                <button
                  className="icon"
                  aria-label={t('stage.earlier')}
                  disabled={i === 0}
                  onClick={() => reorder(i, i - 1)}
                >
                  <span aria-hidden="true">←</span>
                </button>
                <button
                  className="icon"
                  aria-label={t('stage.later')}
                  disabled={i === candidates.length - 1}
                  onClick={() => reorder(i, i + 1)}
                >
                  <span aria-hidden="true">→</span>
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const StagePanel = memo(StagePanelView);
