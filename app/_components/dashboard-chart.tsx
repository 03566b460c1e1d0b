'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TDashboardRange } from '@/lib/dashboard/baseline';
import type { TDashboard } from '@/lib/dashboard/dashboard-dto';
import { formatCount } from '../_lib/format';

// Dead letters per minute (1 h) or hour (24 h, 7 d) as bars, the baseline (median of the
// same bucket on the 7 days before) as a dashed line. Colours are the theme's CSS variables,
// so the chart follows light and dark like the rest of the page.

const AXIS = { fontSize: 11, fill: 'var(--muted)' };

function tickLabel(iso: string, range: TDashboardRange): string {
  const d = new Date(iso);
  const hhmm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  return range === '7d' ? `${d.toLocaleDateString([], { weekday: 'short' })} ${hhmm}` : hhmm;
}

export function chartSummary(series: TDashboard['series'], range: TDashboardRange): string {
  const total = series.points.reduce((n, p) => n + p.count, 0);
  const peak = series.points.reduce((m, p) => Math.max(m, p.count), 0);
  const baseline = series.points.some((p) => p.baseline !== null)
    ? `${formatCount(Math.round(series.points.reduce((n, p) => n + (p.baseline ?? 0), 0)))} expected from the baseline`
    : 'no baseline yet';
  const span = range === '1h' ? 'the last 60 minutes' : range === '24h' ? 'the last 24 hours' : 'the last 7 days';
  return `${formatCount(total)} dead letters in ${span}, at most ${formatCount(peak)} a ${series.unit}; ${baseline}`;
}

export function DashboardChart({ series, range }: { series: TDashboard['series']; range: TDashboardRange }) {
  const data = series.points.map((p) => ({ ...p, label: tickLabel(p.t, range) }));
  const label = chartSummary(series, range);
  return (
    <figure className="rounded-md border border-line bg-panel p-2" data-testid="dashboard-chart" aria-label={label}>
      <figcaption className="mb-1 flex flex-wrap items-baseline gap-x-3 px-1 text-xs text-muted">
        <span className="font-medium text-fg">Dead letters per {series.unit}</span>
        <span data-testid="dashboard-chart-summary">{label}</span>
      </figcaption>
      <div className="h-56 w-full" role="img" aria-label={label}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
            <CartesianGrid stroke="var(--line)" strokeDasharray="2 3" vertical={false} />
            <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={{ stroke: 'var(--line)' }} interval="preserveStartEnd" minTickGap={24} />
            <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} width={44} />
            <Tooltip
              cursor={{ fill: 'var(--sunken)' }}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--line)', borderRadius: 6, color: 'var(--fg)', fontSize: 12 }}
              labelStyle={{ color: 'var(--muted)' }}
              formatter={(value, name) => [value === null || value === undefined ? 'no baseline yet' : formatCount(Number(value)), name]}
            />
            <Legend wrapperStyle={{ fontSize: 11, color: 'var(--muted)' }} iconSize={10} />
            <Bar dataKey="count" name="Dead letters" fill="var(--accent)" radius={[2, 2, 0, 0]} isAnimationActive={false} maxBarSize={28} />
            <Line dataKey="baseline" name="Baseline (7-day median)" stroke="var(--muted)" strokeWidth={1.5} strokeDasharray="5 3" dot={false}
              isAnimationActive={false} connectNulls={false} type="stepAfter" />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
