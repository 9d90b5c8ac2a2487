// Telemetry for heartbeats (contracts NodeTelemetry, less the egress counters, which the
// agent's egress guard owns). GPU figures come from nvidia-smi on every sample.
import type { GpuTelemetry, NodeTelemetry } from '@enclave/contracts';
import type { HardwareProfile } from './hardware-profile.ts';
import { toMb } from './hardware-profile.ts';
import type { NvidiaSmi } from './nvidia-smi.ts';
import type { NvidiaGpuSample } from './nvidia-smi.parser.ts';
import type { SystemProbe } from './system-probe.ts';

export interface TelemetryDeps {
  readonly probe: SystemProbe;
  readonly nvidiaSmi: NvidiaSmi;
  readonly scratchFreeMb: () => Promise<number>;
  readonly hardware: HardwareProfile;
}

export type NodeTelemetrySample = Omit<NodeTelemetry, 'egress'>;

/**
 * GPU telemetry rows. When nvidia-smi does not answer on a node where GPUs were discovered, the
 * GPUs are still listed (they exist) with unknown utilisation and temperature; the wire has no
 * "unknown" for VRAM in use, so it reads 0 — the operator sees the nulls beside it.
 */
export function gpuTelemetry(
  hardware: HardwareProfile,
  smi: readonly NvidiaGpuSample[] | null,
): GpuTelemetry[] {
  if (smi !== null && smi.length > 0) {
    return smi.slice(0, 64).map((g) => ({
      index: Math.min(63, g.index),
      model: g.model || 'NVIDIA GPU',
      vramTotalMb: g.vramTotalMb,
      vramUsedMb: Math.min(g.vramUsedMb, g.vramTotalMb || g.vramUsedMb),
      utilisationPct: g.utilisationPct,
      temperatureC: g.temperatureC === null ? null : Math.min(200, Math.max(-50, g.temperatureC)),
    }));
  }
  return hardware.gpus.slice(0, 64).map((g) => ({
    index: Math.min(63, g.index),
    model: g.model,
    vramTotalMb: g.vramMb,
    vramUsedMb: 0,
    utilisationPct: null,
    temperatureC: null,
  }));
}

export async function sampleTelemetry(deps: TelemetryDeps): Promise<NodeTelemetrySample> {
  const needsSmi = deps.hardware.gpus.length > 0;
  const [load, memory, scratchFreeMb, smi] = await Promise.all([
    deps.probe.cpuLoadPercent(),
    deps.probe.memory(),
    deps.scratchFreeMb(),
    needsSmi ? deps.nvidiaSmi.query() : Promise.resolve(null),
  ]);
  const totalMb = toMb(memory.totalBytes);
  return {
    cpu: {
      cores: Math.min(4096, deps.hardware.cpu.cores),
      utilisationPct: Number.isFinite(load) ? Math.min(100, Math.max(0, load)) : 0,
    },
    mem: { totalMb, usedMb: Math.min(totalMb, toMb(memory.totalBytes - memory.availableBytes)) },
    scratchFreeMb,
    gpus: gpuTelemetry(deps.hardware, smi),
  };
}
