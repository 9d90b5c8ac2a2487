// The in-memory GPU history behind the operator's charts: bucketing, the time window, the node
// bound and downsampling to at most maxPoints per series.
import type { NodeTelemetry } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { NodeMetricsHistory } from '../../src/nodes/node-metrics.history.ts';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const MIN = 60_000;

function telemetry(util: number | null, vramUsedMb: number, temp: number | null, cpu = 10): NodeTelemetry {
  return {
    cpu: { cores: 8, utilisationPct: cpu },
    mem: { totalMb: 32_000, usedMb: 4_000 },
    scratchFreeMb: 100_000,
    gpus: [
      { index: 0, model: 'L4', vramTotalMb: 24_000, vramUsedMb, utilisationPct: util, temperatureC: temp },
      { index: 1, model: 'L4', vramTotalMb: 24_000, vramUsedMb: 1_000, utilisationPct: 0, temperatureC: 40 },
    ],
    egress: { since: new Date(T0).toISOString(), allowedBytes: 0, blockedConnections: 0 },
  };
}

describe('node metrics history', () => {
  it('merges heartbeats in one bucket: mean utilisation and VRAM, highest temperature', () => {
    const h = new NodeMetricsHistory({ bucketMs: 10_000 });
    h.record('n1', T0 + 1_000, telemetry(20, 1_000, 50, 10));
    h.record('n1', T0 + 4_000, telemetry(40, 3_000, 70, 30));
    h.record('n1', T0 + 7_000, telemetry(null, 2_000, 60, 20));
    expect(h.size('n1')).toBe(1);
    const m = h.query('n1', T0 + 9_000, 1);
    expect(m.samples).toBe(3);
    expect(m.bucketSeconds).toBe(10);
    expect(m.cpu).toEqual([{ at: new Date(T0).toISOString(), utilisationPct: 20 }]);
    expect(m.gpus.map((g) => g.index)).toEqual([0, 1]);
    expect(m.gpus[0]).toMatchObject({ model: 'L4', vramTotalMb: 24_000 });
    // null utilisation is left out of the mean, not counted as 0
    expect(m.gpus[0]?.points).toEqual([
      { at: new Date(T0).toISOString(), utilisationPct: 30, vramUsedMb: 2_000, temperatureC: 70 },
    ]);
  });

  it('keeps only the window and at most window/bucket buckets per node', () => {
    const h = new NodeMetricsHistory({ windowMs: 60 * MIN, bucketMs: 10_000 });
    // two hours of heartbeats every 5 s
    for (let at = T0; at < T0 + 120 * MIN; at += 5_000) h.record('n1', at, telemetry(50, 1_000, 60));
    expect(h.size('n1')).toBeLessThanOrEqual(360 + 1);
    expect(h.size('n1')).toBeGreaterThanOrEqual(359);
    const now = T0 + 120 * MIN;
    const m = h.query('n1', now, 60);
    expect(Date.parse(m.cpu[0]?.at ?? '')).toBeGreaterThanOrEqual(now - 60 * MIN - 30_000);
    expect(m.from).toBe(new Date(now - 60 * MIN).toISOString());
  });

  it('downsamples a long window to at most maxPoints, averaging the buckets merged', () => {
    const h = new NodeMetricsHistory({ windowMs: 60 * MIN, bucketMs: 10_000, maxPoints: 120 });
    let i = 0;
    for (let at = T0; at < T0 + 60 * MIN; at += 5_000, i++) {
      // alternates 0 / 100 each 10-s bucket: a 30-s point averages three buckets; six samples
      // per point, so each point's temperatures are 60…65 and its highest is 65
      h.record('n1', at, telemetry(Math.floor(i / 2) % 2 === 0 ? 0 : 100, 1_000, 60 + (i % 6)));
    }
    const now = T0 + 60 * MIN;
    const hour = h.query('n1', now, 60);
    expect(hour.bucketSeconds).toBe(30);
    expect(hour.gpus[0]?.points.length).toBeLessThanOrEqual(120);
    expect(hour.gpus[0]?.points.length).toBeGreaterThanOrEqual(119);
    expect(hour.samples).toBe(720);
    for (const p of hour.gpus[0]?.points ?? []) {
      expect([100 / 3, 200 / 3].some((v) => Math.abs((p.utilisationPct ?? -1) - v) < 0.1)).toBe(true);
      expect(p.temperatureC).toBe(65);
    }
    // a short window keeps the storage resolution
    const tenMinutes = h.query('n1', now, 10);
    expect(tenMinutes.bucketSeconds).toBe(10);
    expect(tenMinutes.gpus[0]?.points).toHaveLength(60);
  });

  it('drops a sample older than the newest bucket and answers empty for an unknown node', () => {
    const h = new NodeMetricsHistory({ bucketMs: 10_000 });
    h.record('n1', T0 + 30_000, telemetry(10, 1, 1));
    h.record('n1', T0, telemetry(90, 1, 1));
    expect(h.query('n1', T0 + 35_000, 5).gpus[0]?.points.map((p) => p.utilisationPct)).toEqual([10]);
    expect(h.query('other', T0, 60)).toMatchObject({ samples: 0, cpu: [], gpus: [] });
  });

  it('keeps at most maxNodes nodes, forgetting the one heard from longest ago', () => {
    const h = new NodeMetricsHistory({ maxNodes: 2 });
    h.record('a', T0, telemetry(1, 1, 1));
    h.record('b', T0 + 1, telemetry(1, 1, 1));
    h.record('a', T0 + 20_000, telemetry(1, 1, 1));
    h.record('c', T0 + 30_000, telemetry(1, 1, 1));
    expect(h.nodeCount()).toBe(2);
    expect(h.size('b')).toBe(0);
    expect(h.size('a')).toBe(2);
    expect(h.size('c')).toBe(1);
  });
});
