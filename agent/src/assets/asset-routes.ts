// The /agent/v1/tasks routes the agent calls for a task's assets (contracts' agentTaskDataKey,
// agentTaskInput, agentTaskOutput; mutual TLS). Every call names the lease epoch and is refused
// with 409 STALE_EPOCH when the node no longer holds that lease, 410 GONE once the project's
// data was destroyed.
import { routes } from '@enclave/contracts';

export { AgentDataKeySchema as DataKeyReplySchema, MEDIA_TYPE_HEADER } from '@enclave/contracts';

function fill(path: string, params: Record<string, string>, epoch: number): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  return `${filled}?epoch=${epoch}`;
}

export const assetRoutes = {
  dataKey: (taskId: string, epoch: number) => fill(routes.agentTaskDataKey.path, { taskId }, epoch),
  input: (taskId: string, assetId: string, epoch: number) =>
    fill(routes.agentTaskInput.path, { taskId, assetId }, epoch),
  output: (taskId: string, name: string, epoch: number) =>
    fill(routes.agentTaskOutput.path, { taskId, name }, epoch),
};
