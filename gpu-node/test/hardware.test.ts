// Discovery and telemetry: the mapping logic against given probe values, then the real
// probes on this machine (which has no GPU and must say so).
import { describe, expect, it } from 'vitest';
import { NodeTelemetrySchema } from '@enclave/contracts';
import {
  discoverHardware,
  nvidiaSmi,
  processRunner,
  sampleTelemetry,
  systemInformationProbe,
  type H264Encoder,
  type NvidiaSmi,
  type SystemProbe,
} from '../src/index.ts';
import { gpusFrom } from '../src/hardware/hardware-discovery.ts';
import { gpuTelemetry } from '../src/hardware/telemetry-sampler.ts';
import { cpuOnly, withH200 } from './support/hardware.ts';

const GiB = 1024 ** 3;

/** A GPU server as the probe would describe it (shapes as systeminformation 5.33 returns them). */
function capturedProbe(graphics: Awaited<ReturnType<SystemProbe['graphics']>>): SystemProbe {
  return {
    cpu: () => Promise.resolve({ manufacturer: 'AMD', brand: 'EPYC 9654', cores: 192, physicalCores: 96 }),
    memory: () => Promise.resolve({ totalBytes: 1536 * GiB, availableBytes: 1400 * GiB }),
    filesystems: () =>
      Promise.resolve([
        { mount: '/', type: 'ext4', sizeBytes: 900 * GiB, availableBytes: 700 * GiB },
        {
          mount: '/var/lib/enclave/scratch',
          type: 'ext4',
          sizeBytes: 3600 * GiB,
          availableBytes: 3500 * GiB,
        },
        { mount: '/dev/shm', type: 'tmpfs', sizeBytes: 64 * GiB, availableBytes: 64 * GiB },
      ]),
    graphics: () => Promise.resolve(graphics),
    cpuLoadPercent: () => Promise.resolve(12.5),
  };
}

const noSmi: NvidiaSmi = { query: () => Promise.resolve(null) };

describe('discoverHardware (probe values given)', () => {
  it('counts NVIDIA GPUs from nvidia-smi, with VRAM and driver', async () => {
    const smi: NvidiaSmi = {
      query: () =>
        Promise.resolve([
          {
            index: 0,
            model: 'NVIDIA H200',
            vramTotalMb: 143_771,
            vramUsedMb: 0,
            utilisationPct: 0,
            temperatureC: 30,
            driver: '550.54.15',
          },
        ]),
    };
    const hardware = await discoverHardware({
      probe: capturedProbe([]),
      nvidiaSmi: smi,
      h264Encoders: () => Promise.resolve<H264Encoder[]>(['libx264', 'h264_nvenc']),
    });
    expect(hardware).toEqual({
      cpu: { model: 'AMD EPYC 9654', cores: 192, physicalCores: 96 },
      memory: { totalMb: 1536 * 1024 },
      disks: [
        { mount: '/', fsType: 'ext4', totalMb: 900 * 1024, freeMb: 700 * 1024 },
        { mount: '/var/lib/enclave/scratch', fsType: 'ext4', totalMb: 3600 * 1024, freeMb: 3500 * 1024 },
      ],
      gpus: [{ index: 0, vendor: 'nvidia', model: 'NVIDIA H200', vramMb: 143_771, driver: '550.54.15' }],
      h264Encoders: ['libx264', 'h264_nvenc'],
    });
  });

  it('registers a node with only a virtual or non-NVIDIA adapter as CPU-only, without NVENC', async () => {
    const graphics = [
      { vendor: 'Cirrus Logic', model: 'GD 5446', vramMb: 16, driverVersion: null },
      {
        vendor: 'Advanced Micro Devices, Inc. [AMD/ATI]',
        model: 'Instinct MI210',
        vramMb: 65_536,
        driverVersion: null,
      },
    ];
    const hardware = await discoverHardware({
      probe: capturedProbe(graphics),
      nvidiaSmi: noSmi,
      h264Encoders: () => Promise.resolve<H264Encoder[]>(['libx264', 'h264_nvenc']),
    });
    expect(hardware.gpus).toEqual([]);
    expect(hardware.h264Encoders).toEqual(['libx264']);
  });

  it('falls back to systeminformation for NVIDIA GPUs when nvidia-smi does not answer', () => {
    expect(
      gpusFrom(null, [
        { vendor: 'NVIDIA Corporation', model: 'AD102GL [L40S]', vramMb: 46_068, driverVersion: '535.1' },
      ]),
    ).toEqual([{ index: 0, vendor: 'nvidia', model: 'AD102GL [L40S]', vramMb: 46_068, driver: '535.1' }]);
  });
});

describe('telemetry (probe values given)', () => {
  it('reports GPU load from nvidia-smi, and the discovered GPUs with unknowns when it is silent', () => {
    const sample = {
      index: 0,
      model: 'NVIDIA H200',
      vramTotalMb: 143_771,
      vramUsedMb: 81_000,
      utilisationPct: 97,
      temperatureC: 66,
      driver: null,
    };
    expect(gpuTelemetry(withH200, [sample])).toEqual([
      {
        index: 0,
        model: 'NVIDIA H200',
        vramTotalMb: 143_771,
        vramUsedMb: 81_000,
        utilisationPct: 97,
        temperatureC: 66,
      },
    ]);
    expect(gpuTelemetry(withH200, null)).toEqual([
      {
        index: 0,
        model: 'NVIDIA H200',
        vramTotalMb: 143_771,
        vramUsedMb: 0,
        utilisationPct: null,
        temperatureC: null,
      },
    ]);
    expect(gpuTelemetry(cpuOnly, null)).toEqual([]);
  });
});

describe('on this machine (real probes)', () => {
  it('discovers CPU, memory and disks, and honestly zero GPUs', async () => {
    const hardware = await discoverHardware({
      probe: systemInformationProbe,
      nvidiaSmi: nvidiaSmi(processRunner),
      h264Encoders: () => Promise.resolve<H264Encoder[]>(['libx264', 'h264_nvenc']), // what Debian's ffmpeg lists here
    });
    expect(hardware.cpu.cores).toBeGreaterThanOrEqual(1);
    expect(hardware.memory.totalMb).toBeGreaterThan(256);
    expect(hardware.disks.length).toBeGreaterThan(0);
    expect(hardware.gpus).toEqual([]);
    expect(hardware.h264Encoders).toEqual(['libx264']);
  });

  it('samples telemetry that fits the heartbeat schema', async () => {
    const telemetry = await sampleTelemetry({
      probe: systemInformationProbe,
      nvidiaSmi: nvidiaSmi(processRunner),
      hardware: cpuOnly,
      scratchFreeMb: () => Promise.resolve(1234),
    });
    const heartbeat = {
      ...telemetry,
      egress: { since: new Date().toISOString(), allowedBytes: 0, blockedConnections: 0 },
    };
    expect(NodeTelemetrySchema.parse(heartbeat)).toEqual(heartbeat);
    expect(telemetry.gpus).toEqual([]);
    expect(telemetry.scratchFreeMb).toBe(1234);
  });
});
