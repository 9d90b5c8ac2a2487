// The scheduler's tunables from the control plane's configuration (validated at start-up);
// the rest keep the scheduler's defaults (docs/scheduler.md, "Configuration").
import type { ControlPlaneConfig } from '../config/control-plane.config.ts';
import type { SchedulerConfig } from '../scheduler/index.ts';

export function schedulerSettings(config: ControlPlaneConfig): Partial<SchedulerConfig> {
  return {
    leaseMs: config.ENCLAVE_SCHEDULER_LEASE_MS,
    nodeLostAfterMs: config.ENCLAVE_SCHEDULER_NODE_LOST_MS,
    maxAttempts: config.ENCLAVE_SCHEDULER_MAX_ATTEMPTS,
  };
}
