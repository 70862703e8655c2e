import { useTranslation } from 'react-i18next';
import type { Pen, Tool } from './BoardCanvas';

const TOOL_MARK: Record<Tool, string> = {
  pen: '✎',
  highlighter: '▬',
  line: '╱',
  arrow: '→',
  rect: '▭',
  ellipse: '◯',
  text: 'T',
  eraser: '⌫',
  laser: '◉',
};
/** Every tool, in the order the toolbars show them. */
export const TOOLS = Object.keys(TOOL_MARK) as Tool[];
/** Ink that reads on the white board paper (each ≥ 4.5:1 against white). */
export const INKS = ['#111827', '#1d4ed8', '#b91c1c', '#15803d', '#7e22ce', '#b45309'];
export const WIDTHS = [3, 6, 12];

/** Tool, ink and width as radio groups: the board's toolbar and a share's annotation bar. */
export function PenTools({
  pen,
  onChange,
  tools = TOOLS,
  inks = INKS,
  widths = true,
}: {
  pen: Pen;
  onChange: (pen: Pen) => void;
  tools?: readonly Tool[];
  inks?: readonly string[];
  widths?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      <span role="radiogroup" aria-label={t('board.tool')} className="tool-group">
        {tools.map((tool) => (
          <button
            key={tool}
            role="radio"
            aria-checked={pen.tool === tool}
            className={`icon${pen.tool === tool ? ' chosen' : ''}`}
            aria-label={t(`board.tool.${tool}`)}
            title={t(`board.tool.${tool}`)}
            onClick={() => onChange({ ...pen, tool })}
          >
            <span aria-hidden="true">{TOOL_MARK[tool]}</span>
          </button>
        ))}
      </span>
      <span role="radiogroup" aria-label={t('board.color')} className="tool-group">
        {inks.map((color, i) => (
          <button
            key={color}
            role="radio"
            aria-checked={pen.color === color}
            className={`swatch${pen.color === color ? ' chosen' : ''}`}
            style={{ background: color }}
            aria-label={t('board.ink', { n: i + 1 })}
            onClick={() => onChange({ ...pen, color })}
          />
        ))}
      </span>
      {widths && (
        <span role="radiogroup" aria-label={t('board.width')} className="tool-group">
          {WIDTHS.map((width, i) => (
            <button
              key={width}
              role="radio"
              aria-checked={pen.width === width}
              className={`icon${pen.width === width ? ' chosen' : ''}`}
              aria-label={t(`board.width.${i}`)}
              onClick={() => onChange({ ...pen, width })}
            >
              <span className="width-dot" style={{ width: width + 2, height: width + 2 }} />
            </button>
          ))}
        </span>
      )}
    </>
  );
}
