// Fetches the node's LUKS2 scratch volume key from the control plane's agent listener (mutual
// TLS with the node certificate, root pinned at enrollment). The key stays in memory: the caller
// hands it to cryptsetup on stdin and zero-fills it.
import { AgentScratchKeySchema } from '@enclave/contracts';
import { readText, type AgentLink } from '../link/agent-link.ts';

export const SCRATCH_KEY_PATH = '/agent/v1/scratch-key';

export async function fetchScratchKey(link: AgentLink): Promise<{ keyId: string; key: Buffer }> {
  const res = await link.send({ method: 'GET', path: SCRATCH_KEY_PATH });
  const text = await readText(res);
  if (res.statusCode !== 200)
    throw new Error(`scratch key: the control plane answered ${res.statusCode ?? 0}: ${text.slice(0, 300)}`);
  const reply = AgentScratchKeySchema.safeParse(JSON.parse(text));
  if (!reply.success) throw new Error('scratch key: the reply is not { keyId, key: base64 of 32 bytes }');
  return { keyId: reply.data.keyId, key: Buffer.from(reply.data.key, 'base64') };
}
