// Normalising what a submission or enrollment says into one canonical form, so that equal
// needs compare equal (idempotency fingerprints, shape queues) and bad values are refused at
// the door with the field named.
import { EntityIdSchema, isNodeId, type FieldIssue } from '@enclave/contracts';
import type { GpuSpec, NodeSpec, TaskRequirements, TaskRequirementsInput } from './types.ts';

const TAG = /^[a-z0-9][a-z0-9._:-]{0,63}$/;
const MAX_TAGS = 32;
const MAX_GPUS = 64;
const MAX_CPU_SLOTS = 4096;
const MAX_VRAM_MB = 10_000_000;

function intIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

export function isEntityId(value: unknown): value is string {
  return EntityIdSchema.safeParse(value).success;
}

function normalTags(tags: unknown, path: string, issues: FieldIssue[]): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || tags.length > MAX_TAGS) {
    issues.push({ path, message: `must be a list of at most ${MAX_TAGS} tags` });
    return [];
  }
  tags.forEach((tag: unknown, index) => {
    if (typeof tag !== 'string' || !TAG.test(tag)) {
      issues.push({
        path: `${path}[${index}]`,
        message: 'must be a lower-case tag such as "nvenc" or "zone:a"',
      });
    }
  });
  return [...new Set(tags as string[])].sort();
}

/** Defaults: CPU task, one CPU slot, no tags. A CPU task has no VRAM need and no fallback. */
export function normalRequirements(
  input: TaskRequirementsInput | undefined,
  path: string,
  issues: FieldIssue[],
): TaskRequirements {
  const req = input ?? {};
  const gpus = req.gpus ?? 0;
  const minVramMb = req.minVramMb ?? 0;
  const cpuSlots = req.cpuSlots ?? 1;
  const cpuCapable = req.cpuCapable ?? false;
  if (!intIn(gpus, 0, MAX_GPUS))
    issues.push({ path: `${path}.gpus`, message: `must be a whole number 0-${MAX_GPUS}` });
  if (!intIn(minVramMb, 0, MAX_VRAM_MB))
    issues.push({ path: `${path}.minVramMb`, message: 'must be a whole number of MB ≥ 0' });
  if (!intIn(cpuSlots, 1, MAX_CPU_SLOTS)) {
    issues.push({ path: `${path}.cpuSlots`, message: `must be a whole number 1-${MAX_CPU_SLOTS}` });
  }
  if (typeof cpuCapable !== 'boolean')
    issues.push({ path: `${path}.cpuCapable`, message: 'must be true or false' });
  const tags = normalTags(req.tags, `${path}.tags`, issues);
  const hasGpus = gpus > 0;
  return {
    gpus,
    minVramMb: hasGpus ? minVramMb : 0,
    cpuSlots,
    tags,
    cpuCapable: hasGpus && cpuCapable === true,
  };
}

export function normalNodeSpec(spec: NodeSpec, issues: FieldIssue[]): NodeSpec {
  if (!isNodeId(spec.id))
    issues.push({ path: 'id', message: 'must be a node id (lower-case letters, digits, "-")' });
  if (spec.dedicatedTenant !== undefined && !isEntityId(spec.dedicatedTenant)) {
    issues.push({ path: 'dedicatedTenant', message: 'must be a tenant id' });
  }
  const caps = spec.capabilities;
  if (!intIn(caps.cpuSlots, 1, MAX_CPU_SLOTS)) {
    issues.push({ path: 'capabilities.cpuSlots', message: `must be a whole number 1-${MAX_CPU_SLOTS}` });
  }
  const gpus: GpuSpec[] = [];
  const indices = new Set<number>();
  const listed: readonly GpuSpec[] = Array.isArray(caps.gpus) ? (caps.gpus as readonly GpuSpec[]) : [];
  if (!Array.isArray(caps.gpus) || listed.length > MAX_GPUS) {
    issues.push({ path: 'capabilities.gpus', message: `must be a list of at most ${MAX_GPUS} GPUs` });
  } else {
    listed.forEach((gpu, i) => {
      const path = `capabilities.gpus[${i}]`;
      if (!intIn(gpu.index, 0, MAX_GPUS - 1) || indices.has(gpu.index)) {
        issues.push({ path: `${path}.index`, message: 'must be a unique device index 0-63' });
      }
      if (!intIn(gpu.vramMb, 0, MAX_VRAM_MB))
        issues.push({ path: `${path}.vramMb`, message: 'must be MB ≥ 0' });
      if (typeof gpu.model !== 'string' || gpu.model.length === 0 || gpu.model.length > 128) {
        issues.push({ path: `${path}.model`, message: 'must be 1-128 characters' });
      }
      indices.add(gpu.index);
      gpus.push({ index: gpu.index, model: gpu.model, vramMb: gpu.vramMb });
    });
  }
  gpus.sort((a, b) => a.index - b.index);
  const tags = normalTags(caps.tags, 'capabilities.tags', issues);
  const capabilities = { gpus, cpuSlots: caps.cpuSlots, tags };
  return spec.dedicatedTenant === undefined
    ? { id: spec.id, capabilities }
    : { id: spec.id, capabilities, dedicatedTenant: spec.dedicatedTenant };
}
