// fast-check generators for scheduler property tests: small random clusters and jobs whose
// requirements sometimes fit and sometimes cannot (so the unplaceable paths are exercised too).
import fc from 'fast-check';
import type { JobSubmission, NodeSpec, TaskRequirementsInput } from '../../src/scheduler/index.ts';

export const TENANTS = ['t0', 't1', 't2'] as const;
const VRAM = [8_000, 16_000, 24_000, 80_000] as const;
const TAGS = ['nvenc', 'zone:a'] as const;

const tags = fc.subarray([...TAGS], { maxLength: 2 });

export const nodeSpecArb = (id: string): fc.Arbitrary<NodeSpec> =>
  fc
    .record({
      vram: fc.array(fc.constantFrom(...VRAM), { maxLength: 4 }),
      cpu: fc.integer({ min: 1, max: 12 }),
      tags,
      dedicated: fc.option(fc.constantFrom(...TENANTS), { freq: 5 }),
    })
    .map(({ vram, cpu, tags: nodeTags, dedicated }) => {
      const spec: NodeSpec = {
        id,
        capabilities: {
          gpus: vram.map((vramMb, index) => ({ index, model: 'sim', vramMb })),
          cpuSlots: cpu,
          tags: nodeTags,
        },
      };
      return dedicated === null ? spec : { ...spec, dedicatedTenant: dedicated };
    });

export const clusterArb: fc.Arbitrary<NodeSpec[]> = fc
  .integer({ min: 1, max: 5 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => nodeSpecArb(`n${i}`))));

export const requirementsArb: fc.Arbitrary<TaskRequirementsInput> = fc.record({
  gpus: fc.constantFrom(0, 0, 1, 1, 2, 5),
  minVramMb: fc.constantFrom(0, 10_000, 20_000, 50_000),
  cpuSlots: fc.integer({ min: 1, max: 6 }),
  tags: fc.subarray([...TAGS], { maxLength: 1 }),
  cpuCapable: fc.boolean(),
});

/** Tasks of a job: deps only point backwards, so every generated job is a DAG. */
export interface JobShape {
  readonly tenant: number;
  readonly priority: number;
  readonly key: number;
  readonly tasks: readonly {
    readonly requirements: TaskRequirementsInput;
    readonly deps: readonly number[];
  }[];
}

export const jobShapeArb: fc.Arbitrary<JobShape> = fc.record({
  tenant: fc.integer({ min: 0, max: TENANTS.length - 1 }),
  priority: fc.integer({ min: 0, max: 100 }),
  key: fc.integer({ min: 0, max: 5 }),
  tasks: fc.array(fc.record({ requirements: requirementsArb, deps: fc.array(fc.nat(), { maxLength: 2 }) }), {
    minLength: 1,
    maxLength: 4,
  }),
});

/** Turns a shape into a submission with fresh ids (as a caller minting ids per request would). */
export function toSubmission(shape: JobShape, serial: number): JobSubmission {
  const jobId = `j${serial}`;
  return {
    jobId,
    tenantId: TENANTS[shape.tenant]!,
    priority: shape.priority,
    idempotencyKey: `k${shape.key}`,
    tasks: shape.tasks.map((spec, index) => ({
      taskId: `${jobId}-${index}`,
      requirements: spec.requirements,
      deps: index === 0 ? [] : [...new Set(spec.deps.map((d) => `${jobId}-${d % index}`))],
    })),
  };
}
