// A job template is typed TypeScript: an id and version, the parameter schema from contracts
// (the UI builds its form from it), and a compile function that turns validated parameters into a
// DAG of tasks, each a sequence of gpu-node steps. Compiling is pure: assets are looked up and
// client text is sealed through the context, so the same template runs in tests and in the app.
import type { AssetRef, EncryptedField, StepSpec, TemplateId } from '@enclave/contracts';
import type { TaskRequirementsInput } from '../scheduler/index.ts';
import type { z } from 'zod';

/** Where a task input comes from: an uploaded asset, or an output of an earlier task of the job. */
export type TaskInputSource =
  | { readonly kind: 'asset'; readonly asset: AssetRef }
  | { readonly kind: 'task-output'; readonly task: string; readonly output: string };

export interface TaskInput {
  /** The file name the steps use in the task's scratch directory. */
  readonly name: string;
  readonly from: TaskInputSource;
}

export interface TaskOutput {
  readonly name: string;
  readonly mediaType: string;
  /** Final outputs become job results the producer downloads; the rest are intermediates. */
  readonly final: boolean;
}

export interface CompiledTask {
  /** Unique within the job; the task id is derived from it. */
  readonly key: string;
  readonly title: string;
  readonly deps: readonly string[];
  readonly requirements: TaskRequirementsInput;
  readonly steps: readonly StepSpec[];
  readonly inputs: readonly TaskInput[];
  readonly outputs: readonly TaskOutput[];
  /** Sealed client text by field name (see contracts EncryptedField). */
  readonly sealed: Readonly<Record<string, EncryptedField>>;
  readonly timeoutMs: number;
}

export interface CompiledJob {
  readonly title: string;
  readonly tasks: readonly CompiledTask[];
}

/** What compiling may ask of the outside world. */
export interface TemplateContext {
  /** The project's asset with this id; throws a not-found error for ids outside the project. */
  asset(assetId: string): AssetRef;
  /** Seals client text under the project's data key. */
  seal(field: string, plaintext: string): EncryptedField;
}

export interface JobTemplate<Id extends TemplateId = TemplateId> {
  readonly id: Id;
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly params: z.ZodType;
  /** Valid parameters naming asset ids `example-1`…; the start-up check compiles them. */
  readonly example: unknown;
  compile(params: unknown, context: TemplateContext): CompiledJob;
}
