// Which queued tasks placement may look at. A task sits in exactly one place:
//  - nowhere, while a dependency has not succeeded (pendingDeps > 0) — dependents are woken
//    by the succeeding task, so nothing ever scans for "has my dependency finished";
//  - the delayed heap, while in back-off (notBefore > now);
//  - its tenant's shape queue, when it can be placed.
// That keeps a placement round's work proportional to what it places, not to the backlog.
import type { SchedulerState, ShapeQueue, TaskRecord } from './scheduler-state.ts';

/** Puts a queued task whose deps have all succeeded where placement will find it. */
export function enqueueReady(state: SchedulerState, task: TaskRecord, now: number): void {
  if (task.notBefore > now) {
    state.delayed.push(task);
    return;
  }
  task.shape.tasks.push(task);
  refreshShape(task.shape);
}

/** Takes a queued task out of whichever queue holds it (cancellation, placement). */
export function dequeue(state: SchedulerState, task: TaskRecord): void {
  if (state.delayed.remove(task)) return;
  if (task.shape.tasks.remove(task)) refreshShape(task.shape);
}

/** Moves tasks whose back-off has ended into their shape queues. */
export function promoteDue(state: SchedulerState, now: number): void {
  for (
    let next = state.delayed.peek();
    next !== undefined && next.notBefore <= now;
    next = state.delayed.peek()
  ) {
    state.delayed.pop();
    next.shape.tasks.push(next);
    refreshShape(next.shape);
  }
}

/** Keeps the tenant's heap of shapes in step with the shape's head task. */
export function refreshShape(shape: ShapeQueue): void {
  const heap = shape.tenant.shapeHeap;
  if (shape.tasks.size === 0) heap.remove(shape);
  else if (heap.has(shape)) heap.update(shape);
  else heap.push(shape);
}

/** Ready tasks across all tenants (not counting deps-blocked or delayed ones). */
export function readyCount(state: SchedulerState): number {
  let count = 0;
  for (const tenant of state.tenants.values()) {
    for (const shape of tenant.shapeHeap.values()) count += shape.tasks.size;
  }
  return count;
}
