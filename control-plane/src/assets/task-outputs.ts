// Which stored assets a task may read and write. Inputs: the assets its work names, and the
// outputs its producer tasks reported (by wire name). Outputs: only the names the task's
// template declares. Reported outputs are reconciled with what the node actually stored, so a
// downstream input always names a real asset of the same task and project.
import type { AssetRef } from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import { Asset } from '../database/entities/asset.entity.ts';
import { Task, type TaskRow } from '../database/entities/task.entity.ts';
import { wireName } from '../jobs/wire-name.ts';

/** The asset ids a task reads. */
export async function inputAssetIds(em: EntityManager, task: TaskRow): Promise<Set<string>> {
  const ids = new Set<string>();
  const producers = new Map<string, TaskRow | null>();
  for (const input of task.work.inputs) {
    if (input.from.kind === 'asset') {
      ids.add(input.from.asset.assetId);
      continue;
    }
    const key = input.from.task;
    if (!producers.has(key)) producers.set(key, await em.findOne(Task, { job: task.job.id, key }));
    const wanted = wireName(input.from.output);
    const ref = producers.get(key)?.outputs?.find((o) => o.name === wanted);
    if (ref !== undefined) ids.add(ref.assetId);
  }
  return ids;
}

/** The wire names of the outputs the task's template declares. */
export function declaredOutputNames(task: TaskRow): string[] {
  return task.work.outputs.map((o) => wireName(o.name));
}

/**
 * The outputs a task.succeeded reports, reconciled with the asset rows: a ref to an asset this
 * task stored gets the stored metadata (size, hash, type); a ref to an asset stored for anything
 * else is dropped. A ref to no stored asset at all is kept as reported (nodes that keep outputs
 * elsewhere; a downstream fetch of it answers 404).
 */
export async function reconcileOutputs(
  em: EntityManager,
  taskId: string,
  reported: readonly AssetRef[],
): Promise<{ outputs: AssetRef[]; dropped: string[] }> {
  const rows = await em.find(Asset, { id: { $in: reported.map((r) => r.assetId) } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const outputs: AssetRef[] = [];
  const dropped: string[] = [];
  for (const ref of reported) {
    const row = byId.get(ref.assetId);
    if (row === undefined) outputs.push(ref);
    else if (row.taskId === taskId && row.state === 'stored') {
      outputs.push({
        name: ref.name,
        assetId: row.id,
        mediaType: row.mediaType,
        sizeBytes: row.sizeBytes,
        sha256: row.sha256,
      });
    } else dropped.push(ref.assetId);
  }
  return { outputs, dropped };
}
