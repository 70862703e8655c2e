import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useRoom } from '../context';
import { selectMe } from '../store';
import { BoardCanvas, type Pen } from './BoardCanvas';
import { INKS, PenTools, WIDTHS } from './PenTools';
import { useMayDraw } from './useMayDraw';

/**
 * The board where people draw: the page the room screen shows, with the tools when this
 * device may draw (the relay checks again), the page switcher and the teacher's settings.
 */
function BoardPanelView() {
  const { t } = useTranslation();
  const { board } = useApp();
  const info = useRoom((s) => s.board);
  const me = useRoom(selectMe);
  const mayDraw = useMayDraw();
  const [pen, setPen] = useState<Pen>({ tool: 'pen', color: INKS[0]!, width: WIDTHS[0]! });
  if (!info || !me) return null;
  const teacher = me.role === 'teacher';
  return (
    <section className="board-panel" aria-labelledby="board-title">
      <h2 id="board-title" className="panel-title">
        {t('board.title')}{' '}
        <small className="muted-text">
          {t('board.pageOf', { page: info.page + 1, pages: info.pages })}
        </small>
      </h2>
      {mayDraw && (
        <div className="board-tools" role="toolbar" aria-label={t('board.tools')}>
          <PenTools pen={pen} onChange={setPen} />
          <button className="secondary" onClick={board.undo}>
            {t('board.undo')}
          </button>
          <button className="secondary" onClick={board.redo}>
            {t('board.redo')}
          </button>
          {teacher && (
            <>
              <button className="secondary" onClick={() => board.clear({ page: info.page })}>
                {t('board.clear')}
              </button>
              <button
                className="secondary"
                disabled={info.page === 0}
                onClick={() => board.showPage(info.page - 1)}
              >
                {t('board.prev')}
              </button>
              <button
                className="secondary"
                disabled={info.page >= info.pages - 1}
                onClick={() => board.showPage(info.page + 1)}
              >
                {t('board.next')}
              </button>
              <button className="secondary" onClick={board.addPage}>
                {t('board.addPage')}
              </button>
              <label className="check">
                <input
                  type="checkbox"
                  checked={info.everyone}
                  onChange={(e) => board.setEveryone(e.target.checked)}
                />{' '}
                {t('board.everyone')}
              </label>
            </>
          )}
        </div>
      )}
      <div className="board-sheet">
        <BoardCanvas
          page={info.page}
          pen={mayDraw ? pen : undefined}
          label={t('board.canvas', { page: info.page + 1 })}
        />
      </div>
    </section>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const BoardPanel = memo(BoardPanelView);
