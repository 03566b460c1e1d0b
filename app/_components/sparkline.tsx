/** A small inline bar chart of counts (oldest first): where a group's messages arrived over the last hours. */
export function Sparkline({ values, label, width = 96, height = 20 }: { values: number[]; label: string; width?: number; height?: number }) {
  const max = Math.max(1, ...values);
  const gap = 1;
  const bar = Math.max(1, (width - gap * (values.length - 1)) / Math.max(1, values.length));
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="block text-accent">
      <title>{label}</title>
      <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} stroke="currentColor" strokeOpacity={0.25} strokeWidth={1} />
      {values.map((v, i) => {
        const h = v === 0 ? 0 : Math.max(2, (v / max) * (height - 2));
        return <rect key={i} x={i * (bar + gap)} y={height - h} width={bar} height={h} rx={0.5} fill="currentColor" fillOpacity={i === values.length - 1 ? 1 : 0.7} />;
      })}
    </svg>
  );
}
