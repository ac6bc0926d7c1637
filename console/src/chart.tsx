/** A plain SVG bar chart: one bar per point, labelled, with a text alternative. */
export const BarChart = (props: {
  title: string;
  points: { label: string; value: number }[];
  format: (n: number) => string;
}) => {
  const width = 560;
  const height = 180;
  const pad = 24;
  const max = Math.max(1, ...props.points.map((p) => p.value));
  const step = (width - pad * 2) / Math.max(1, props.points.length);
  const summary = props.points.map((p) => `${p.label}: ${props.format(p.value)}`).join(', ');
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-label={`${props.title}. ${summary}`}>
        <line x1={pad} y1={height} x2={width - pad} y2={height} stroke="currentColor" />
        {props.points.map((p, i) => {
          const h = ((height - pad) * p.value) / max;
          return (
            <g key={p.label}>
              <rect
                x={pad + i * step + 2}
                y={height - h}
                width={Math.max(1, step - 4)}
                height={h}
                class="bar"
              >
                <title>{`${p.label}: ${props.format(p.value)}`}</title>
              </rect>
              <text x={pad + i * step + step / 2} y={height + 14} text-anchor="middle" class="tick">
                {p.label}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
};
