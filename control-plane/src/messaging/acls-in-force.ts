// In KRaft, CreateAcls returns once the controller has committed the entries; each broker's
// authorizer applies them when it replays the metadata log, a moment later (longer on a loaded
// machine). A node that connects in that gap is refused: for its idempotent producer that
// refusal (InitProducerId) is fatal. So enrollment and revocation wait until the broker answering
// DescribeAcls — which reads its own authorizer — shows every entry.
import type { AclAdmin, AclBinding } from './acl-admin.ts';

export interface AclsInForceOptions {
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

function keyOf(b: AclBinding): string {
  return [b.resourceType, b.resourceName, b.patternType, b.principal, b.host, b.operation, b.permission].join(
    '|',
  );
}

/** Resolves true once every binding is visible, false when `timeoutMs` passes first. */
export async function awaitAclsInForce(
  admin: AclAdmin,
  principal: string,
  bindings: readonly AclBinding[],
  options: AclsInForceOptions = {},
): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const pollMs = options.pollMs ?? 100;
  const wanted = new Set(bindings.map(keyOf));
  for (;;) {
    const present = new Set((await admin.describeAcls({ principal })).map(keyOf));
    if ([...wanted].every((k) => present.has(k))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
