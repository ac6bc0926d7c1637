/** A plain SVG bar chart: one bar per point, labelled, with a text alternative. */
export const BarChart = (props: {
  title: string;
  points: { label: string; value: number }[];
  format: (n: number) => string;
  /** The top of the scale (100 for percentages); default the largest value. */
  max?: number;
}) => {
  const width = 560;
  const height = 180;
  const pad = 24;
  const max = props.max ?? Math.max(1, ...props.points.map((p) => p.value));
  const step = (width - pad * 2) / Math.max(1, props.points.length);
  const summary = props.points.map((p) => `${p.label}: ${props.format(p.value)}`).join(', ');
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${height + 20}`}
        role="img"
        aria-label={`${props.title}. ${summary}`}
      >
        <line x1={pad} y1={height} x2={width - pad} y2={height} stroke="currentColor" />
        <text x={pad} y={pad - 8} class="tick">
          {props.format(max)}
        </text>
        <line
          x1={pad}
          y1={pad}
          x2={width - pad}
          y2={pad}
          stroke="currentColor"
          stroke-dasharray="4 4"
        />
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
              {p.value > 0 && (
                <text
                  x={pad + i * step + step / 2}
                  y={height - h - 4}
                  text-anchor="middle"
                  class="tick"
                >
                  {props.format(p.value)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
};
