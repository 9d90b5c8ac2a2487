// What a node is, as discovery found it. The GPU entries carry the same fields the control
// plane's scheduler places by (index, model, vramMb), plus the driver for the operator.

export type H264Encoder = 'libx264' | 'h264_nvenc';

export interface GpuInfo {
  readonly index: number;
  /** Only NVIDIA GPUs are counted: they are the only ones a step can use (NVENC, CUDA). */
  readonly vendor: 'nvidia';
  readonly model: string;
  readonly vramMb: number;
  readonly driver: string | null;
}

export interface DiskInfo {
  readonly mount: string;
  readonly fsType: string;
  readonly totalMb: number;
  readonly freeMb: number;
}

export interface HardwareProfile {
  readonly cpu: { readonly model: string; readonly cores: number; readonly physicalCores: number };
  readonly memory: { readonly totalMb: number };
  readonly disks: readonly DiskInfo[];
  /** Empty on a CPU-only node, which then registers as exactly that. */
  readonly gpus: readonly GpuInfo[];
  /** H.264 encoders this node's ffmpeg has and can drive (NVENC only with an NVIDIA GPU). */
  readonly h264Encoders: readonly H264Encoder[];
}

export const MB = 1024 * 1024;
export const toMb = (bytes: number): number => Math.max(0, Math.floor(bytes / MB));
