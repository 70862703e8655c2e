import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useRoom } from '../context';
import { selectMe } from '../store';
import { BoardCanvas, type Pen, type Tool } from './BoardCanvas';

const TOOLS: Tool[] = ['pen', 'highlighter', 'line', 'arrow', 'rect', 'ellipse', 'eraser'];
const TOOL_MARK: Record<Tool, string> = {
  pen: '✎',
  highlighter: '▬',
  line: '╱',
  arrow: '→',
  rect: '▭',
  ellipse: '◯',
  text: 'T',
  eraser: '⌫',
};
/** Ink that reads on the white board paper (each ≥ 4.5:1 against white). */
export const INKS = ['#111827', '#1d4ed8', '#b91c1c', '#15803d', '#7e22ce', '#b45309'];
const WIDTHS = [3, 6, 12];

/**
 * The board where people draw: the page the room screen shows, with the tools when this
 * device may draw (the relay checks again), the page switcher and the teacher's settings.
 */
export function BoardPanel() {
  const { t } = useTranslation();
  const { board } = useApp();
  const info = useRoom((s) => s.board);
  const me = useRoom(selectMe);
  const [pen, setPen] = useState<Pen>({ tool: 'pen', color: INKS[0]!, width: WIDTHS[0]! });
  if (!info || !me) return null;
  const teacher = me.role === 'teacher';
  const mayDraw = teacher || (me.role === 'student' && (me.stage === 'on' || info.everyone));
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
          <span role="radiogroup" aria-label={t('board.tool')} className="tool-group">
            {TOOLS.map((tool) => (
              <button
                key={tool}
                role="radio"
                aria-checked={pen.tool === tool}
                className={`icon${pen.tool === tool ? ' chosen' : ''}`}
                aria-label={t(`board.tool.${tool}`)}
                title={t(`board.tool.${tool}`)}
                onClick={() => setPen({ ...pen, tool })}
              >
                <span aria-hidden="true">{TOOL_MARK[tool]}</span>
              </button>
            ))}
          </span>
          <span role="radiogroup" aria-label={t('board.color')} className="tool-group">
            {INKS.map((color, i) => (
              <button
                key={color}
                role="radio"
                aria-checked={pen.color === color}
                className={`swatch${pen.color === color ? ' chosen' : ''}`}
                style={{ background: color }}
                aria-label={t('board.ink', { n: i + 1 })}
                onClick={() => setPen({ ...pen, color })}
              />
            ))}
          </span>
          <span role="radiogroup" aria-label={t('board.width')} className="tool-group">
            {WIDTHS.map((width, i) => (
              <button
                key={width}
                role="radio"
                aria-checked={pen.width === width}
                className={`icon${pen.width === width ? ' chosen' : ''}`}
                aria-label={t(`board.width.${i}`)}
                onClick={() => setPen({ ...pen, width })}
              >
                <span className="width-dot" style={{ width: width + 2, height: width + 2 }} />
              </button>
            ))}
          </span>
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
