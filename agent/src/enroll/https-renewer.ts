// The real Renewer: POST /agent/v1/renew over the mutual-TLS link (the current certificate
// authenticates the call) with a CSR for the node's existing key; the reply's root must be the
// root the node already trusts.
import { createCsr } from '@enclave/certs';
import { RenewReplySchema, routes } from '@enclave/contracts';
import { readText, type AgentLink } from '../link/agent-link.ts';
import type { RenewedCertificate, Renewer } from './renewal.scheduler.ts';

export class HttpsRenewer implements Renewer {
  readonly #link: AgentLink;
  readonly #nodeId: string;
  readonly #readKey: () => string;
  readonly #readCa: () => string;

  constructor(options: { link: AgentLink; nodeId: string; readKey: () => string; readCa: () => string }) {
    this.#link = options.link;
    this.#nodeId = options.nodeId;
    this.#readKey = options.readKey;
    this.#readCa = options.readCa;
  }

  async renew(): Promise<RenewedCertificate> {
    const csrPem = createCsr({ profile: 'node', name: this.#nodeId, privateKeyPem: this.#readKey() });
    const body = Buffer.from(JSON.stringify({ csrPem }));
    const res = await this.#link.send({
      method: 'POST',
      path: routes.agentRenew.path,
      headers: { 'content-type': 'application/json', 'content-length': body.length },
      body,
    });
    const text = await readText(res);
    if (res.statusCode !== 201 && res.statusCode !== 200)
      throw new Error(`renewal refused: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
    const reply = RenewReplySchema.safeParse(JSON.parse(text));
    if (!reply.success) throw new Error('the renewal reply does not have the expected shape');
    if (reply.data.caPem.trim() !== this.#readCa().trim())
      throw new Error('the renewal reply names a different root CA; refusing it');
    return { certificatePem: reply.data.certificatePem, chainPem: reply.data.chainPem };
  }
}
