// Resource needs shared by the templates. GPU-preferred work asks for one GPU but may fall back
// to CPU slots, so a CPU-only appliance still renders (slower, with libx264 and WASM detectors).
import type { TaskRequirementsInput } from '../scheduler/index.ts';

export const cpuTask: TaskRequirementsInput = { gpus: 0, cpuSlots: 1 };
export const gpuPreferredTask: TaskRequirementsInput = {
  gpus: 1,
  minVramMb: 2_048,
  cpuSlots: 1,
  cpuCapable: true,
};

export const MINUTE_MS = 60_000;
