// The agent link (/agent/*, mutual TLS): who the presented certificate says the node is, and
// renewal of that certificate (same key, fresh validity; refused once it is revoked). The
// ciphertext streams of inputs and outputs join here with the asset store (issue #6).
import { CertificateAuthority } from '@enclave/certs';
import type { RenewReply, Whoami } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import type { NodeCaller } from '../auth/caller.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { fromCertsError } from '../nodes/certs-errors.ts';
import { NodesService } from '../nodes/nodes.service.ts';

@Injectable()
export class AgentService {
  constructor(
    private readonly ca: CertificateAuthority,
    private readonly nodes: NodesService,
    private readonly log: AppLogger,
  ) {}

  whoami(node: NodeCaller): Whoami {
    return { nodeId: node.nodeId, principal: node.principal, certificateNotAfter: node.certificateNotAfter };
  }

  async renew(node: NodeCaller, csrPem: string): Promise<RenewReply> {
    let issued;
    try {
      issued = await this.ca.renew({ currentCertPem: node.certificatePem, csrPem });
    } catch (error) {
      throw fromCertsError(error, 'body.csrPem');
    }
    if (await this.nodes.exists(node.nodeId)) await this.nodes.recordCertificate(node.nodeId, issued);
    this.log.write('info', 'Node certificate renewed', { nodeId: node.nodeId, serial: issued.serial });
    return {
      certificatePem: issued.certPem,
      chainPem: issued.chainPem,
      caPem: issued.caPem,
      certificateNotAfter: issued.notAfter.toISOString(),
    };
  }
}
