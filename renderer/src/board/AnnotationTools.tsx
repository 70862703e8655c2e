import { useTranslation } from 'react-i18next';
import type { Share } from '../../../protocol';
import { useApp, useRoom } from '../context';
import type { Pen } from './BoardCanvas';
import { INKS, PenTools } from './PenTools';

/** What annotating a share offers: marks, shapes, words and the laser (no straight line). */
const ANNOTATION_TOOLS = [
  'pen',
  'highlighter',
  'arrow',
  'rect',
  'ellipse',
  'text',
  'eraser',
  'laser',
] as const;
/** Red first: it reads on most slides and screens. */
export const ANNOTATION_INKS = ['#dc2626', ...INKS.filter((c) => c !== '#b91c1c')];

/** The annotation pen of one tile: off until its button is pressed. */
export function AnnotationTools({
  share,
  pen,
  onPen,
}: {
  share: Share;
  pen: Pen;
  onPen: (pen: Pen) => void;
}) {
  const { t } = useTranslation();
  const { board } = useApp();
  const teacher = useRoom((s) => s.me?.role === 'teacher');
  return (
    <div className="annot-tools" role="toolbar" aria-label={t('annotate.tools')}>
      <PenTools
        pen={pen}
        onChange={onPen}
        tools={ANNOTATION_TOOLS}
        inks={ANNOTATION_INKS.slice(0, 4)}
        widths={false}
      />
      <button className="secondary" onClick={board.undo}>
        {t('board.undo')}
      </button>
      {teacher && (
        <button className="secondary" onClick={() => board.clear({ share: share.id })}>
          {t('annotate.clear')}
        </button>
      )}
    </div>
  );
}
