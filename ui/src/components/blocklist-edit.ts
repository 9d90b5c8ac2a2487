// The job blocklist form's pure part: one node to block or unblock, checked with the contract's
// own schemas (the node-id rule and BlocklistEditSchema) before anything is sent, so the form
// shows the server's wording at once.
import { BlocklistEditSchema, type BlocklistEdit } from '@enclave/contracts';

export type BlocklistAction = 'add' | 'remove';

export type BlocklistEditResult =
  { readonly ok: true; readonly body: BlocklistEdit } | { readonly ok: false; readonly message: string };

export function blocklistEditBody(action: BlocklistAction, nodeId: string): BlocklistEditResult {
  const check = BlocklistEditSchema.safeParse({ [action]: [nodeId.trim()] });
  if (check.success) return { ok: true, body: check.data };
  return { ok: false, message: check.error.issues[0]?.message ?? 'invalid' };
}
