// The place where a job submission can be refused before anything is compiled or stored — the
// privacy issue's restriction and objection requests (a data subject asked that their data not
// be processed) will plug in here and answer 409 CONFLICT. Nothing is restricted yet.
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
