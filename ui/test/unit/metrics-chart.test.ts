// The node charts' SVG: line geometry (gaps break the line, values clamp to the axis), the text
// summary, and the rendered markup's accessible parts (labelled axes, <desc>, the data table).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  linePath,
  MetricsChart,
  summarise,
  type ChartSeries,
  type MetricsChartText,
} from '../../src/components/metrics-chart.tsx';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const box = { fromMs: T0, toMs: T0 + 100_000, max: 100, width: 100, height: 50 };

const text: MetricsChartText = {
  title: 'GPU 0 · utilisation',
  unit: '%',
  timeAxis: 'last 60 min',
  noData: 'No heartbeat in this period.',
  showTable: 'Show the figures as a table',
  time: 'Time',
  summary: (s) => `lowest ${s.min}, highest ${s.max}, latest ${s.last}`,
  formatValue: (n) => String(Math.round(n)),
  formatTime: (ms) => new Date(ms).toISOString().slice(11, 16),
};

describe('metrics chart', () => {
  it('draws a run of readings, breaks at a gap and clamps to the axis', () => {
    const path = linePath(
      [
        { at: T0, value: 0 },
        { at: T0 + 50_000, value: 100 },
        { at: T0 + 60_000, value: null },
        { at: T0 + 80_000, value: 150 },
        { at: T0 + 100_000, value: 50 },
        { at: T0 + 200_000, value: 10 },
      ],
      box,
    );
    expect(path).toBe('M0.0 50.0 L50.0 0.0 M80.0 0.0 L100.0 25.0');
    expect(linePath([], box)).toBe('');
    // A lone reading is a zero-length segment, drawn as a dot by the round cap.
    expect(linePath([{ at: T0 + 50_000, value: 100 }], box)).toBe('M50.0 0.0 L50.0 0.0');
  });

  it('summarises lowest, highest and latest over all series, ignoring gaps', () => {
    const series: ChartSeries[] = [
      {
        label: 'a',
        points: [
          { at: T0, value: 40 },
          { at: T0 + 2, value: null },
        ],
      },
      {
        label: 'b',
        points: [
          { at: T0 + 1, value: 90 },
          { at: T0 + 3, value: 10 },
        ],
      },
    ];
    expect(summarise(series)).toEqual({ min: 10, max: 90, last: 10 });
    expect(summarise([{ label: 'a', points: [{ at: T0, value: null }] }])).toBeNull();
  });

  it('renders labelled axes, a description and the figures as a table', () => {
    const html = renderToStaticMarkup(
      createElement(MetricsChart, {
        series: [
          {
            label: 'GPU 0',
            points: [
              { at: T0 + 30_000, value: 20 },
              { at: T0 + 60_000, value: 80 },
            ],
          },
        ],
        fromMs: T0,
        toMs: T0 + 3_600_000,
        max: 100,
        text,
      }),
    );
    expect(html).toContain('role="img"');
    expect(html).toMatch(/aria-labelledby="[^"]+-title [^"]+-desc"/);
    expect(html).toContain('<desc');
    expect(html).toContain('lowest 20 %, highest 80 %, latest 80 %');
    // value axis 0 / 50 / 100 and the time axis from, label, to
    for (const tick of ['>0<', '>50<', '>100<', '>10:00<', '>last 60 min<', '>11:00<'])
      expect(html).toContain(tick);
    expect(html).toContain('<summary>Show the figures as a table</summary>');
    expect(html).toContain('<th scope="col">GPU 0 (%)</th>');
    expect(html).toContain('<th scope="row">10:00</th><td>20</td>');
    expect(html).toContain('<th scope="row">10:01</th><td>80</td>');
  });

  it('says there is no data rather than drawing nothing silently', () => {
    const html = renderToStaticMarkup(
      createElement(MetricsChart, {
        series: [{ label: 'GPU 0', points: [] }],
        fromMs: T0,
        toMs: T0 + 1,
        max: 100,
        text,
      }),
    );
    expect(html).toContain('No heartbeat in this period.');
  });
});
