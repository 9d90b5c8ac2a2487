// What the node offers the scheduler, sent once at enrollment in contracts' strict
// NodeCapabilities shape (the control plane refuses any other): its NVIDIA GPUs as discovery
// found them, its execution slots as CPU slots, and the operator's tags.
import { NodeCapabilitiesSchema, type NodeCapabilitiesDto } from '@enclave/contracts';
import type { HardwareProfile } from '@enclave/gpu-node';

export function nodeCapabilities(
  hardware: Pick<HardwareProfile, 'gpus'>,
  config: { slots: number; tags: readonly string[] },
): NodeCapabilitiesDto {
  // Parsed, not just typed: a discovery value out of range must stop enrollment here, with the
  // field named, rather than come back as a 400 from the control plane.
  return NodeCapabilitiesSchema.parse({
    gpus: hardware.gpus.map((gpu) => ({ index: gpu.index, model: gpu.model, vramMb: gpu.vramMb })),
    cpuSlots: config.slots,
    tags: [...config.tags],
  });
}
