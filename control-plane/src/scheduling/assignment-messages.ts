// The messages a command's decisions send to nodes: task.assign for each placement (built from
// the task's stored work) and task.cancel for each cancel order, both through the outbox in the
// command's own transaction. Inputs go by reference: an asset input names the uploaded asset; a
// task-output input names what the producing task reported with task.succeeded (its deps have
// all succeeded before it is placed).
import { newEnvelope, type AssetRef, type EnvelopeOf, type TaskCancelBody } from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import { Task, type TaskRow } from '../database/entities/task.entity.ts';
import type { Assignment } from '../scheduler/index.ts';
import { wireName } from '../jobs/wire-name.ts';

export interface MessageStamp {
  readonly id: () => string;
  readonly traceId: () => string;
  readonly now: Date;
}

export interface UnresolvedInput {
  readonly taskId: string;
  readonly input: string;
}

/** The envelope of one placement; `missing` lists task-output inputs no producer reported. */
export async function assignEnvelope(
  em: EntityManager,
  assignment: Assignment,
  stamp: MessageStamp,
): Promise<{ envelope: EnvelopeOf<'task.assign'>; missing: UnresolvedInput[] }> {
  const task = await em.findOneOrFail(Task, { id: assignment.taskId });
  const siblings = task.work.inputs.some((i) => i.from.kind === 'task-output')
    ? await em.find(Task, { job: task.job.id })
    : [];
  const byKey = new Map(siblings.map((t) => [t.key, t]));
  const inputs: AssetRef[] = [];
  const missing: UnresolvedInput[] = [];
  for (const input of task.work.inputs) {
    const ref = resolveInput(input.from, byKey);
    if (ref === undefined) missing.push({ taskId: task.id, input: input.name });
    else inputs.push({ ...ref, name: wireName(input.name) });
  }
  const envelope = newEnvelope<'task.assign'>(
    {
      type: 'task.assign',
      nodeId: assignment.nodeId,
      tenantId: assignment.tenantId,
      traceId: stamp.traceId(),
      body: {
        jobId: assignment.jobId,
        taskId: assignment.taskId,
        epoch: assignment.epoch,
        leaseMs: assignment.leaseMs,
        timeoutMs: task.work.timeoutMs,
        slots: Math.min(64, Math.max(1, assignment.cpuSlots)),
        template: task.work.template,
        steps: task.work.steps.map((s) => ({ step: s.step, params: s.params })),
        inputs,
        sealed: { ...task.work.sealed },
      },
    },
    { id: stamp.id(), now: stamp.now },
  );
  return { envelope, missing };
}

function resolveInput(
  from: TaskRow['work']['inputs'][number]['from'],
  byKey: ReadonlyMap<string, TaskRow>,
): AssetRef | undefined {
  if (from.kind === 'asset') return from.asset;
  const producer = byKey.get(from.task);
  return producer?.outputs?.find((o) => o.name === wireName(from.output));
}

export async function cancelEnvelope(
  em: EntityManager,
  nodeId: string,
  body: TaskCancelBody,
  stamp: MessageStamp,
): Promise<EnvelopeOf<'task.cancel'>> {
  const task = await em.findOneOrFail(Task, { id: body.taskId });
  return newEnvelope<'task.cancel'>(
    { type: 'task.cancel', nodeId, tenantId: task.tenant.id, traceId: stamp.traceId(), body },
    { id: stamp.id(), now: stamp.now },
  );
}
