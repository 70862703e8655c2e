/**
 * The few icons the views draw themselves (a font may lack ⧉ or ⛶): 24×24 strokes in the
 * current colour, hidden from screen readers (the button carries the words).
 */
const PATHS = {
  pip: 'M3 5h18v14H3z M12 12h7v5h-7z',
  fullscreen: 'M4 9V4h5 M20 9V4h-5 M4 15v5h5 M20 15v5h-5',
  fit: 'M9 4H4v5 M15 4h5v5 M9 20H4v-5 M15 20h5v-5 M8 8l8 8 M16 8l-8 8',
} as const;

export function Icon({ name }: { name: keyof typeof PATHS }) {
  return (
    <svg
      className="icon-svg"
      viewBox="0 0 24 24"
      width="20"
      height="20"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
