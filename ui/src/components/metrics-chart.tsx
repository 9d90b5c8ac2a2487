// A small time-series chart in inline SVG (no chart library): one or more lines over a time
// axis, labelled axes, and the same figures as a table for screen readers and for anyone who
// wants the numbers (a <details> under the chart). Time runs left to right in both languages,
// like the figures themselves. Gaps (no sample, or a null reading) break the line.
import { useId } from 'react';

export interface ChartPoint {
  readonly at: number;
  readonly value: number | null;
}

export interface ChartSeries {
  readonly label: string;
  readonly points: readonly ChartPoint[];
}

export interface ChartBox {
  readonly fromMs: number;
  readonly toMs: number;
  readonly max: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The SVG path of one series: `M` at each start of a run of readings, `L` along it. A run of one
 * reading (a node that has just come online, a lone sample between gaps) gets a zero-length `L`
 * so the round line cap shows it as a dot instead of nothing.
 */
export function linePath(points: readonly ChartPoint[], box: ChartBox): string {
  const span = Math.max(1, box.toMs - box.fromMs);
  const runs: string[][] = [];
  let run: string[] | null = null;
  for (const p of points) {
    if (p.value === null || p.at < box.fromMs || p.at > box.toMs) {
      run = null;
      continue;
    }
    const x = ((p.at - box.fromMs) / span) * box.width;
    const y = box.height - (Math.max(0, Math.min(p.value, box.max)) / box.max) * box.height;
    const xy = `${x.toFixed(1)} ${y.toFixed(1)}`;
    if (run === null) {
      run = [`M${xy}`];
      runs.push(run);
    } else run.push(`L${xy}`);
  }
  return runs.map((r) => (r.length === 1 ? `${r[0]} L${r[0]!.slice(1)}` : r.join(' '))).join(' ');
}

/** Lowest, highest and latest reading over all series (for the text summary). */
export function summarise(series: readonly ChartSeries[]): { min: number; max: number; last: number } | null {
  const values = series.flatMap((s) => s.points.map((p) => p.value)).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  const latest = series
    .flatMap((s) => s.points)
    .filter((p) => p.value !== null)
    .reduce((a, b) => (b.at >= a.at ? b : a));
  return { min: Math.min(...values), max: Math.max(...values), last: latest.value ?? 0 };
}

export interface MetricsChartText {
  /** Chart title, e.g. "GPU 0 utilisation". */
  readonly title: string;
  /** The unit on the value axis, e.g. "%", "GiB", "°C". */
  readonly unit: string;
  readonly timeAxis: string;
  readonly noData: string;
  readonly showTable: string;
  readonly time: string;
  /** "lowest {min}, highest {max}, latest {last}" already filled in by the caller's language. */
  readonly summary: (s: { min: string; max: string; last: string }) => string;
  readonly formatValue: (n: number) => string;
  readonly formatTime: (ms: number) => string;
}

const W = 280;
const H = 90;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };
const COLOURS = ['chart-line-0', 'chart-line-1', 'chart-line-2', 'chart-line-3'];

export function MetricsChart({
  series,
  fromMs,
  toMs,
  max,
  text,
}: {
  series: readonly ChartSeries[];
  fromMs: number;
  toMs: number;
  max: number;
  text: MetricsChartText;
}) {
  const id = useId();
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const box: ChartBox = { fromMs, toMs, max: max > 0 ? max : 1, width: plotW, height: plotH };
  const stats = summarise(series);
  const description =
    stats === null
      ? text.noData
      : text.summary({
          min: `${text.formatValue(stats.min)} ${text.unit}`,
          max: `${text.formatValue(stats.max)} ${text.unit}`,
          last: `${text.formatValue(stats.last)} ${text.unit}`,
        });
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.at)))].sort((a, b) => a - b);
  return (
    <figure className="chart" data-chart={text.title}>
      <figcaption id={`${id}-title`}>
        {text.title} <span className="muted small">({text.unit})</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="chart-svg"
        direction="ltr"
      >
        <desc id={`${id}-desc`}>{description}</desc>
        <g transform={`translate(${PAD.left} ${PAD.top})`}>
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line x1={0} x2={plotW} y1={plotH - f * plotH} y2={plotH - f * plotH} className="chart-grid" />
              <text x={-4} y={plotH - f * plotH + 3} textAnchor="end" className="chart-tick">
                {text.formatValue(f * box.max)}
              </text>
            </g>
          ))}
          <line x1={0} x2={0} y1={0} y2={plotH} className="chart-axis" />
          <line x1={0} x2={plotW} y1={plotH} y2={plotH} className="chart-axis" />
          <text x={0} y={plotH + 14} textAnchor="start" className="chart-tick">
            {text.formatTime(fromMs)}
          </text>
          <text x={plotW / 2} y={plotH + 14} textAnchor="middle" className="chart-tick">
            {text.timeAxis}
          </text>
          <text x={plotW} y={plotH + 14} textAnchor="end" className="chart-tick">
            {text.formatTime(toMs)}
          </text>
          {series.map((s, i) => (
            <path
              key={s.label}
              d={linePath(s.points, box)}
              className={`chart-line ${COLOURS[i % 4] ?? ''}`}
            />
          ))}
        </g>
      </svg>
      {series.length > 1 && (
        <ul className="chart-legend">
          {series.map((s, i) => (
            <li key={s.label} className={COLOURS[i % 4]}>
              {s.label}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>{text.showTable}</summary>
        <table className="chart-table">
          <caption className="visually-hidden">{text.title}</caption>
          <thead>
            <tr>
              <th scope="col">{text.time}</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label} ({text.unit})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {times.map((at) => (
              <tr key={at}>
                <th scope="row">{text.formatTime(at)}</th>
                {series.map((s) => {
                  const v = s.points.find((p) => p.at === at)?.value;
                  return <td key={s.label}>{v === null || v === undefined ? '—' : text.formatValue(v)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
