// Structural checks of a compiled job: unique keys, known dependencies, no cycles, inputs that
// reference outputs of declared dependencies, file names that are task-file names, and only
// catalogued steps whose params pass the step's own schema (the one the node validates with).
import { FieldNameSchema, STEP_CATALOGUE, StepNeeds, StepSpecSchema, isKnownStep } from '@enclave/contracts';
import type { CompiledJob, CompiledTask } from './job-template.ts';

export function checkCompiledJob(job: CompiledJob): string[] {
  const problems: string[] = [];
  const byKey = new Map<string, CompiledTask>();
  for (const task of job.tasks) {
    if (byKey.has(task.key)) problems.push(`task "${task.key}" is defined twice`);
    byKey.set(task.key, task);
  }
  if (job.tasks.length === 0) problems.push('the job has no tasks');
  for (const task of job.tasks) {
    if (task.steps.length === 0) problems.push(`task "${task.key}" has no steps`);
    for (const dep of task.deps) {
      if (!byKey.has(dep)) problems.push(`task "${task.key}" depends on unknown task "${dep}"`);
    }
    for (const name of [...task.inputs.map((i) => i.name), ...task.outputs.map((o) => o.name)]) {
      if (!FieldNameSchema.safeParse(name).success)
        problems.push(`task "${task.key}" has a bad file name "${name}"`);
    }
    for (const { from } of task.inputs) {
      if (from.kind !== 'task-output') continue;
      const { task: source, output } = from;
      const producer = byKey.get(source);
      if (!producer || !task.deps.includes(source)) {
        problems.push(`task "${task.key}" reads "${output}" from "${source}", which is not a dependency`);
      } else if (!producer.outputs.some((o) => o.name === output)) {
        problems.push(`task "${source}" has no output "${output}"`);
      }
    }
    for (const step of task.steps) {
      if (!isKnownStep(step.step)) {
        problems.push(`task "${task.key}" uses unknown step "${step.step}"`);
        continue;
      }
      const entry = STEP_CATALOGUE[step.step];
      if ((entry.needs as StepNeeds) === StepNeeds.Gpu && (task.requirements.gpus ?? 0) === 0) {
        problems.push(`task "${task.key}" runs GPU-only step "${step.step}" without asking for a GPU`);
      }
      const parsed = entry.params.safeParse(step.params);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => i.path.join('.') || '(params)').join(', ');
        problems.push(`task "${task.key}" gives "${step.step}" invalid params: ${fields}`);
      }
      if (!StepSpecSchema.safeParse(step).success) {
        problems.push(`task "${task.key}" has an invalid step spec for "${step.step}"`);
      }
    }
  }
  if (hasCycle(job.tasks)) problems.push('the task dependencies form a cycle');
  return problems;
}

function hasCycle(tasks: readonly CompiledTask[]): boolean {
  const state = new Map<string, 'visiting' | 'done'>();
  const deps = new Map(tasks.map((t) => [t.key, t.deps]));
  const visit = (key: string): boolean => {
    const seen = state.get(key);
    if (seen === 'done') return false;
    if (seen === 'visiting') return true;
    state.set(key, 'visiting');
    for (const dep of deps.get(key) ?? []) if (visit(dep)) return true;
    state.set(key, 'done');
    return false;
  };
  return tasks.some((t) => visit(t.key));
}
