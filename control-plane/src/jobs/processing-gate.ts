// The place where a job submission can be refused before anything is compiled or stored: the
// privacy module's RestrictionProcessingGate (restriction and objection requests in effect)
// answers 409 CONFLICT here. UnrestrictedProcessingGate is for tests that need no privacy rules.
import type { UserCaller } from '../auth/caller.ts';

export interface ProcessingRequest {
  readonly caller: UserCaller;
  readonly projectId: string;
  readonly templateId: string;
  readonly assetIds: readonly string[];
}

export abstract class ProcessingGate {
  /** Throws a CONFLICT ContractError when the processing is restricted. */
  abstract assertMayProcess(request: ProcessingRequest): Promise<void>;
}

export class UnrestrictedProcessingGate extends ProcessingGate {
  assertMayProcess(): Promise<void> {
    return Promise.resolve();
  }
}
