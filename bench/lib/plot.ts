import type { TSeries } from './types';

// An SVG of the bench's series, one panel per chart name (ingest rate, replay rate, worker
// RSS ...), so a reader can look at a run instead of reading its JSON. Plain SVG with no
// dependency: it opens in any browser and renders on GitHub.

const WIDTH = 1100;
const PANEL_HEIGHT = 220;
const MARGIN = { left: 70, right: 360, top: 34, bottom: 34 };
/** Legend names are cut to what fits beside the plot. */
const LEGEND_CHARS = 52;
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value)!;
  return step * magnitude;
}

const label = (n: number) => (Math.abs(n) >= 10_000 ? `${Math.round(n / 1000)}k` : Math.abs(n) >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n * 100) / 100));
const cut = (s: string) => (s.length > LEGEND_CHARS ? `${s.slice(0, LEGEND_CHARS - 1)}…` : s);

export function renderSvg(series: readonly TSeries[], title: string): string {
  const charts = [...new Set(series.map((s) => s.chart))];
  const height = charts.length * PANEL_HEIGHT + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="600" fill="#111827">${escape(title)}</text>`,
  ];
  charts.forEach((chart, index) => {
    const lines = series.filter((s) => s.chart === chart && s.points.length > 0);
    const top = 40 + index * PANEL_HEIGHT + MARGIN.top;
    const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
    const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
    const maxX = niceMax(Math.max(1, ...lines.flatMap((s) => s.points.map(([x]) => x))));
    const maxY = niceMax(Math.max(0, ...lines.flatMap((s) => s.points.map(([, y]) => y))));
    const x = (v: number) => MARGIN.left + (v / maxX) * plotWidth;
    const y = (v: number) => top + plotHeight - (v / maxY) * plotHeight;
    const unit = lines[0]?.unit ?? '';
    parts.push(`<text x="${MARGIN.left}" y="${top - 10}" font-weight="600" fill="#111827">${escape(chart)}${unit ? ` (${escape(unit)})` : ''}</text>`);
    for (let i = 0; i <= 4; i++) {
      const v = (maxY / 4) * i;
      parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`);
      parts.push(`<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#4b5563">${label(v)}</text>`);
      const t = (maxX / 4) * i;
      parts.push(`<text x="${x(t)}" y="${top + plotHeight + 16}" text-anchor="middle" fill="#4b5563">${label(t)} s</text>`);
    }
    parts.push(`<rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#9ca3af"/>`);
    if (lines.length === 0) {
      parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${top + plotHeight / 2}" text-anchor="middle" fill="#6b7280">no samples</text>`);
    }
    lines.forEach((s, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const d = s.points.map(([px, py], j) => `${j ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ');
      // A series of one sample (a smoke-sized run that lasted under a second) is a dot.
      if (s.points.length === 1) parts.push(`<circle cx="${x(s.points[0]![0]).toFixed(1)}" cy="${y(s.points[0]![1]).toFixed(1)}" r="3" fill="${colour}"/>`);
      else parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.6"/>`);
      parts.push(`<line x1="${WIDTH - MARGIN.right + 12}" x2="${WIDTH - MARGIN.right + 30}" y1="${top + 8 + i * 18}" y2="${top + 8 + i * 18}" stroke="${colour}" stroke-width="3"/>`);
      parts.push(`<text x="${WIDTH - MARGIN.right + 36}" y="${top + 12 + i * 18}" fill="#111827">${escape(cut(s.name))}<title>${escape(s.name)}</title></text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}
