// A job's tasks form a DAG by their deps. Checked once at submission: a dep on a task outside
// the job, on itself, or any cycle would leave tasks waiting forever, so the job is refused
// with the exact place named.
import type { FieldIssue } from '@enclave/contracts';

export interface DagNode {
  readonly taskId: string;
  readonly deps: readonly string[];
}

/** Issues with the graph (paths like `tasks[2].deps[0]`); empty when it is a DAG. */
export function dagIssues(nodes: readonly DagNode[]): FieldIssue[] {
  const indexOf = new Map<string, number>();
  nodes.forEach((node, index) => indexOf.set(node.taskId, index));
  const issues: FieldIssue[] = [];
  const indegree = new Array<number>(nodes.length).fill(0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((node, index) => {
    const seen = new Set<string>();
    node.deps.forEach((dep, depIndex) => {
      const path = `tasks[${index}].deps[${depIndex}]`;
      const target = indexOf.get(dep);
      if (target === undefined) issues.push({ path, message: 'names no task of this job' });
      else if (target === index) issues.push({ path, message: 'a task cannot depend on itself' });
      else if (seen.has(dep)) issues.push({ path, message: 'listed twice' });
      else {
        indegree[index]!++;
        dependents[target]!.push(index);
      }
      seen.add(dep);
    });
  });
  if (issues.length > 0) return issues;
  // Kahn: whatever is never freed sits on or behind a cycle.
  const ready = indegree.flatMap((degree, index) => (degree === 0 ? [index] : []));
  let freed = 0;
  while (ready.length > 0) {
    const index = ready.pop()!;
    freed++;
    for (const dependent of dependents[index]!) if (--indegree[dependent]! === 0) ready.push(dependent);
  }
  if (freed < nodes.length) {
    const stuck = indegree.flatMap((degree, index) => (degree > 0 ? [nodes[index]!.taskId] : []));
    issues.push({ path: 'tasks', message: `dependency cycle among: ${stuck.slice(0, 10).join(', ')}` });
  }
  return issues;
}
