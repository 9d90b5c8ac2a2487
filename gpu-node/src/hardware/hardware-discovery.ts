// Discovery at agent start: CPU, memory, disks and GPUs (systeminformation; nvidia-smi when
// the NVIDIA driver is installed, which knows VRAM and driver version authoritatively). Only
// NVIDIA GPUs count: no step here can use another vendor's, so a node with only an AMD, Intel
// or virtual display adapter registers as CPU-only, which is what it is for us.
import type { NvidiaSmi } from './nvidia-smi.ts';
import type { GraphicsFacts, SystemProbe } from './system-probe.ts';
import { toMb, type GpuInfo, type H264Encoder, type HardwareProfile } from './hardware-profile.ts';
import type { NvidiaGpuSample } from './nvidia-smi.parser.ts';

export interface DiscoveryDeps {
  readonly probe: SystemProbe;
  readonly nvidiaSmi: NvidiaSmi;
  readonly h264Encoders: () => Promise<H264Encoder[]>;
}

const isNvidia = (g: GraphicsFacts): boolean => /nvidia/i.test(g.vendor) || /nvidia/i.test(g.model);

/** GPUs from nvidia-smi when it answered, else from systeminformation's NVIDIA controllers. */
export function gpusFrom(
  smi: readonly NvidiaGpuSample[] | null,
  graphics: readonly GraphicsFacts[],
): GpuInfo[] {
  if (smi !== null && smi.length > 0) {
    return smi.map((g) => ({
      index: g.index,
      vendor: 'nvidia',
      model: g.model,
      vramMb: g.vramTotalMb,
      driver: g.driver,
    }));
  }
  return graphics.filter(isNvidia).map((g, index) => ({
    index,
    vendor: 'nvidia',
    model: g.model.slice(0, 128) || 'NVIDIA GPU',
    vramMb: Math.max(0, Math.round(g.vramMb ?? 0)),
    driver: g.driverVersion,
  }));
}

/** Pseudo and container filesystems are not disks an operator cares about. */
const VIRTUAL_FS = /^(overlay|tmpfs|devtmpfs|squashfs|proc|sysfs|cgroup2?|nsfs|fuse\..*)$/;

export async function discoverHardware(deps: DiscoveryDeps): Promise<HardwareProfile> {
  const [cpu, memory, filesystems, graphics, smi, encoders] = await Promise.all([
    deps.probe.cpu(),
    deps.probe.memory(),
    deps.probe.filesystems(),
    deps.probe.graphics(),
    deps.nvidiaSmi.query(),
    deps.h264Encoders(),
  ]);
  const gpus = gpusFrom(smi, graphics);
  return {
    cpu: {
      model: `${cpu.manufacturer} ${cpu.brand}`.trim().slice(0, 128) || 'unknown CPU',
      cores: Math.max(1, cpu.cores),
      physicalCores: Math.max(1, cpu.physicalCores),
    },
    memory: { totalMb: toMb(memory.totalBytes) },
    disks: filesystems
      .filter((fs) => !VIRTUAL_FS.test(fs.type))
      .map((fs) => ({
        mount: fs.mount,
        fsType: fs.type,
        totalMb: toMb(fs.sizeBytes),
        freeMb: toMb(fs.availableBytes),
      })),
    gpus,
    // NVENC needs the GPU as well as the build: see media/video-encoder.ts.
    h264Encoders: gpus.length > 0 ? encoders : encoders.filter((e) => e !== 'h264_nvenc'),
  };
}
