// The step registry, checked when it is built (the agent builds it at start-up): every name is a
// valid, unique step name, and every step has a parameter schema and an executor. A task that
// names a step not in the registry fails as UNSUPPORTED_STEP before anything runs.
import { z } from 'zod';
import { StepNameSchema } from '@enclave/contracts';
import type { HardwareProfile } from '../hardware/hardware-profile.ts';
import type { AnyStepDefinition } from './step-types.ts';

export class StepRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepRegistryError';
  }
}

export interface StepRegistry {
  get(name: string): AnyStepDefinition | undefined;
  readonly names: readonly string[];
  readonly steps: readonly AnyStepDefinition[];
}

export function createStepRegistry(definitions: readonly AnyStepDefinition[]): StepRegistry {
  const byName = new Map<string, AnyStepDefinition>();
  for (const step of definitions) {
    const label = typeof step.name === 'string' ? step.name : '(unnamed)';
    if (!StepNameSchema.safeParse(step.name).success)
      throw new StepRegistryError(`invalid step name ${label}`);
    if (byName.has(step.name)) throw new StepRegistryError(`step ${label} is registered twice`);
    if (!(step.params instanceof z.ZodType))
      throw new StepRegistryError(`step ${label} has no parameter schema`);
    if (typeof step.run !== 'function') throw new StepRegistryError(`step ${label} has no executor`);
    if (typeof step.files !== 'function')
      throw new StepRegistryError(`step ${label} does not declare its files`);
    if (!['cpu', 'gpu', 'gpu-preferred'].includes(step.needs)) {
      throw new StepRegistryError(`step ${label} has no valid hardware need`);
    }
    byName.set(step.name, step);
  }
  const steps = Object.freeze([...byName.values()]);
  return Object.freeze({
    get: (name: string) => byName.get(name),
    names: Object.freeze(steps.map((s) => s.name)),
    steps,
  });
}

/** Whether this node may run the step at all: GPU-only steps never run on a CPU-only node. */
export function canRunOn(step: Pick<AnyStepDefinition, 'needs'>, hardware: HardwareProfile): boolean {
  return step.needs !== 'gpu' || hardware.gpus.length > 0;
}

/** The steps a node offers, for registration: a CPU-only node honestly leaves GPU-only ones out. */
export function supportedSteps(registry: StepRegistry, hardware: HardwareProfile): string[] {
  return registry.steps.filter((step) => canRunOn(step, hardware)).map((step) => step.name);
}
