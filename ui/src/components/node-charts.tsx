// One node's last hour as charts, for the IT operator: per GPU its utilisation, VRAM used and
// temperature (a CPU-only node: its CPU utilisation), from GET /api/v1/nodes/{id}/metrics, polled.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { useLoad } from '../app/use-load.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorBanner, Loading } from './common.tsx';
import { MetricsChart, type ChartSeries, type MetricsChartText } from './metrics-chart.tsx';

const POLL_MS = 15_000;
const MINUTES = 60;

export function NodeCharts({ nodeId }: { nodeId: string }) {
  const { t, formatNumber } = useI18n();
  const metrics = useLoad(
    () => api('nodeMetrics', { params: { nodeId }, query: { minutes: String(MINUTES) } }),
    [nodeId],
  );
  const reload = useRef(metrics.reload);
  reload.current = metrics.reload;
  useEffect(() => {
    const timer = window.setInterval(() => reload.current(), POLL_MS);
    return () => window.clearInterval(timer);
  }, []);

  if (metrics.data === undefined) {
    return metrics.error ? <ErrorBanner error={metrics.error} onRetry={metrics.reload} /> : <Loading />;
  }
  const m = metrics.data;
  const fromMs = Date.parse(m.from);
  const toMs = Date.parse(m.to);
  const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const base = (title: string, unit: string, digits = 0): MetricsChartText => ({
    title,
    unit,
    timeAxis: t('chartTimeAxis', { n: formatNumber(MINUTES) }),
    noData: t('chartNoData'),
    showTable: t('chartShowTable'),
    time: t('chartTime'),
    summary: (s) => t('chartSummary', s),
    formatValue: (n) => formatNumber(n, { maximumFractionDigits: digits }),
    formatTime: (ms) => clock.format(new Date(ms)),
  });
  const charts: { key: string; series: ChartSeries[]; max: number; text: MetricsChartText }[] = [];
  for (const gpu of m.gpus) {
    const name = `${t('gpu')} ${gpu.index}`;
    const at = (iso: string) => Date.parse(iso);
    charts.push(
      {
        key: `util-${gpu.index}`,
        max: 100,
        text: base(`${name} · ${t('utilisation')}`, '%'),
        series: [{ label: name, points: gpu.points.map((p) => ({ at: at(p.at), value: p.utilisationPct })) }],
      },
      {
        key: `vram-${gpu.index}`,
        max: gpu.vramTotalMb / 1024,
        text: base(`${name} · ${t('vram')}`, 'GiB', 1),
        series: [
          { label: name, points: gpu.points.map((p) => ({ at: at(p.at), value: p.vramUsedMb / 1024 })) },
        ],
      },
      {
        key: `temp-${gpu.index}`,
        max: 100,
        text: base(`${name} · ${t('temperature')}`, '°C'),
        series: [{ label: name, points: gpu.points.map((p) => ({ at: at(p.at), value: p.temperatureC })) }],
      },
    );
  }
  if (m.gpus.length === 0) {
    charts.push({
      key: 'cpu',
      max: 100,
      text: base(`${t('cpu')} · ${t('utilisation')}`, '%'),
      series: [
        { label: t('cpu'), points: m.cpu.map((p) => ({ at: Date.parse(p.at), value: p.utilisationPct })) },
      ],
    });
  }
  return (
    <div className="charts" data-testid="node-charts" data-node-charts={nodeId}>
      <p className="muted small">
        {t('chartsNote', { n: formatNumber(m.samples), s: formatNumber(m.bucketSeconds) })}
      </p>
      <div className="chart-grid-layout">
        {charts.map((c) => (
          <MetricsChart key={c.key} series={c.series} fromMs={fromMs} toMs={toMs} max={c.max} text={c.text} />
        ))}
      </div>
    </div>
  );
}

/** The charts section of the fleet page: pick a node (first with a GPU by default), see its hour. */
export function NodeChartsSection({ nodes }: { nodes: readonly { nodeId: string; gpus: number }[] }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState('');
  const fallback = nodes.find((n) => n.gpus > 0)?.nodeId ?? nodes[0]?.nodeId ?? '';
  const nodeId = nodes.some((n) => n.nodeId === chosen) ? chosen : fallback;
  return (
    <section className="card" aria-labelledby="charts-title">
      <h2 id="charts-title">{t('chartsTitle')}</h2>
      <div className="field">
        <label htmlFor="charts-node">{t('chartsNode')}</label>
        <select id="charts-node" value={nodeId} onChange={(e) => setChosen(e.target.value)}>
          {nodes.map((n) => (
            <option key={n.nodeId} value={n.nodeId}>
              {n.nodeId}
            </option>
          ))}
        </select>
      </div>
      {nodeId !== '' && <NodeCharts key={nodeId} nodeId={nodeId} />}
    </section>
  );
}
