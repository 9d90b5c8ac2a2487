// Hardware profiles for pure-logic tests.
import type { HardwareProfile } from '../../src/index.ts';

export const cpuOnly: HardwareProfile = {
  cpu: { model: 'AMD EPYC', cores: 2, physicalCores: 2 },
  memory: { totalMb: 24_105 },
  disks: [{ mount: '/', fsType: 'ext4', totalMb: 258_020, freeMb: 78_660 }],
  gpus: [],
  h264Encoders: ['libx264'],
};

export const withH200: HardwareProfile = {
  ...cpuOnly,
  gpus: [{ index: 0, vendor: 'nvidia', model: 'NVIDIA H200', vramMb: 143_771, driver: '550.54.15' }],
  h264Encoders: ['libx264', 'h264_nvenc'],
};
