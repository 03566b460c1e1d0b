import { describe, expect, it } from 'vitest';
import { renderSvg } from './plot';

describe('bench chart', () => {
  it('draws one panel per chart with a path per series, and escapes names', () => {
    const svg = renderSvg([
      { chart: 'ingest rate', name: 'worker', unit: 'msg/s', points: [[0, 0], [1, 5000], [2, 6000]] },
      { chart: 'ingest rate', name: 'amqplib <baseline>', unit: 'msg/s', points: [[0, 0], [1, 15000]] },
      { chart: 'worker RSS', name: 'rss', unit: 'MB', points: [[0, 80], [1, 90]] },
    ], 'npm run bench');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toContain('ingest rate (msg/s)');
    expect(svg).toContain('worker RSS (MB)');
    expect(svg).toContain('amqplib &#60;baseline&#62;');
    expect(svg).not.toContain('<baseline>');
  });

  it('draws a series of one sample as a dot, and cuts a long name keeping it whole in a tooltip', () => {
    const name = 'bulk replay job (arrivals at the origin queue, per second, counted by message id)';
    const svg = renderSvg([{ chart: 'replay rate', name, unit: 'msg/s', points: [[0, 900]] }], 't');
    expect(svg).toContain('<circle ');
    expect(svg).toContain(`<title>${name}</title>`);
    expect(svg).toContain('…');
  });

  it('says so when a chart has no samples', () => {
    expect(renderSvg([{ chart: 'replay rate', name: 'job', unit: 'msg/s', points: [] }], 't')).toContain('no samples');
  });
});
