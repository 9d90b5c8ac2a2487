// The agent link (/agent/*, mutual TLS). Enrollment, renewal and the ciphertext streams of
// inputs and outputs join here; for now an agent can ask who its certificate says it is.
import type { Whoami } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import type { NodeCaller } from '../auth/caller.ts';

@Injectable()
export class AgentService {
  whoami(node: NodeCaller): Whoami {
    return { nodeId: node.nodeId, principal: node.principal, certificateNotAfter: node.certificateNotAfter };
  }
}
