// @enclave/agent: the daemon on each GPU node. See docs/agent.md.
export {
  AgentState,
  AgentStateMachine,
  acceptsWork,
  transition,
  type AgentEvent,
} from './state/agent-state.ts';
export { AgentConfigSchema, parseAgentConfig, type AgentConfig } from './config/agent-config.ts';
export { AgentDaemon, type AgentDaemonDeps } from './daemon/agent.daemon.ts';
export { TaskRunner, type HandleOutcome } from './runner/task-runner.ts';
export type { StepRuntime, StepRunResult, StepRunContext } from './runner/step-runtime.ts';
export type { InputFetcher, FetchedInput } from './runner/input-fetcher.ts';
export { SqliteOutboxStore, type OutboxStore } from './outbox/outbox.store.ts';
export { OutboxFlusher } from './outbox/outbox.flusher.ts';
export { enroll, type EnrollTransport, type EnrollReply } from './enroll/enrollment.client.ts';
