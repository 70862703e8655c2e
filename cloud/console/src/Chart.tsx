/** A small line chart (inline SVG, no library): one or more series over the same times. */
export function Chart({
  title,
  unit,
  lines,
  height = 90,
}: {
  title: string;
  unit: string;
  lines: { label: string; color: string; points: { at: number; v: number | null }[] }[];
  height?: number;
}) {
  const width = 320;
  const all = lines.flatMap((l) => l.points);
  const values = all.flatMap((p) => (p.v === null ? [] : [p.v]));
  const max = Math.max(1, ...values);
  const t0 = Math.min(...all.map((p) => p.at));
  const t1 = Math.max(t0 + 1, ...all.map((p) => p.at));
  const x = (at: number) => ((at - t0) / (t1 - t0)) * (width - 4) + 2;
  const y = (v: number) => height - 2 - (v / max) * (height - 14);
  const last = (l: (typeof lines)[number]) => [...l.points].reverse().find((p) => p.v !== null)?.v;
  return (
    <figure className="chart">
      <figcaption>
        {title}{' '}
        {lines.map((l) => (
          <span key={l.label} style={{ color: l.color }}>
            {l.label} {fmt(last(l))}
            {unit}{' '}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        <text x="2" y="10" className="axis">
          {fmt(max)}
          {unit}
        </text>
        {lines.map((l) => {
          const end = [...l.points].reverse().find((p) => p.v !== null);
          return end ? (
            <circle key={`${l.label}-end`} cx={x(end.at)} cy={y(end.v!)} r="2.5" fill={l.color} />
          ) : null;
        })}
        {lines.map((l) => (
          <polyline
            key={l.label}
            fill="none"
            stroke={l.color}
            strokeWidth="1.5"
            points={l.points
              .filter((p) => p.v !== null)
              .map((p) => `${x(p.at).toFixed(1)},${y(p.v!).toFixed(1)}`)
              .join(' ')}
          />
        ))}
      </svg>
    </figure>
  );
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  return v >= 100 ? Math.round(v).toString() : v.toFixed(v >= 10 ? 1 : 2);
}
