// First start: trade the one-time bootstrap token for a node certificate. The token carries a
// pin of the appliance's root CA; the TLS connection trusts nothing until the CA the server
// presents matches that pin, and then trusts only that CA.
import {
  createCsr,
  generateLeafKeyPair,
  parseEnrollmentToken,
  verifyCaPin,
  type EnrollmentToken,
} from '@enclave/certs';
import type { NodeCapabilitiesDto } from '@enclave/contracts';
import { z } from 'zod';

export const EnrollReplySchema = z.object({
  nodeId: z.string().min(1),
  certificatePem: z.string().min(1),
  chainPem: z.string().min(1),
  caPem: z.string().min(1),
  kafka: z.object({ bootstrap: z.string().min(1), topics: z.record(z.string(), z.string()).optional() }),
});

export type EnrollReply = z.infer<typeof EnrollReplySchema>;

/** The HTTPS call, behind an interface so tests run it against a local server. */
export interface EnrollTransport {
  /**
   * POSTs JSON to `url`. `checkCa` gets the root CA the server presents before any request
   * byte is sent; the connection must be dropped when it returns false.
   */
  postJson(
    url: string,
    body: unknown,
    checkCa: (caPem: string) => boolean,
  ): Promise<{ status: number; json: unknown }>;
}

export interface EnrollmentResult {
  reply: EnrollReply;
  keyPem: string;
}

export class EnrollmentError extends Error {}

export async function enroll(
  options: { controlPlaneUrl: string; token: string; capabilities: NodeCapabilitiesDto },
  transport: EnrollTransport,
): Promise<EnrollmentResult> {
  let token: EnrollmentToken;
  try {
    token = parseEnrollmentToken(options.token);
  } catch (error) {
    throw new EnrollmentError(`enrollment token: ${error instanceof Error ? error.message : String(error)}`);
  }
  const keys = await generateLeafKeyPair();
  const keyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const csrPem = createCsr({ profile: 'node', name: token.name, privateKeyPem: keyPem });
  const url = new URL('/api/v1/enroll', options.controlPlaneUrl).toString();
  const response = await transport.postJson(
    url,
    { token: options.token, csrPem, capabilities: options.capabilities },
    (caPem) => verifyCaPin(token, caPem),
  );
  if (response.status !== 200 && response.status !== 201) {
    throw new EnrollmentError(
      `enrollment refused: HTTP ${response.status} ${JSON.stringify(response.json).slice(0, 300)}`,
    );
  }
  const reply = EnrollReplySchema.safeParse(response.json);
  if (!reply.success) throw new EnrollmentError('enrollment reply does not have the expected shape');
  if (!verifyCaPin(token, reply.data.caPem))
    throw new EnrollmentError('the CA in the enrollment reply does not match the token pin');
  if (reply.data.nodeId !== token.name)
    throw new EnrollmentError(`enrolled as ${reply.data.nodeId}, token was for ${token.name}`);
  return { reply: reply.data, keyPem };
}
