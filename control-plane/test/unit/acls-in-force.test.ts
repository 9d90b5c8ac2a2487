// The enrollment barrier waits for the broker's authorizer, not for the controller's commit.
import { describe, expect, it } from 'vitest';
import type { AclAdmin, AclBinding } from '../../src/messaging/acl-admin.ts';
import { awaitAclsInForce } from '../../src/messaging/acls-in-force.ts';

const principal = 'User:node-n1';
const binding = (operation: AclBinding['operation']): AclBinding => ({
  resourceType: 'topic',
  resourceName: 'jobs.n1',
  patternType: 'literal',
  principal,
  host: '*',
  operation,
  permission: 'allow',
});

/** A broker whose authorizer shows the entries only from the `visibleFrom`-th DescribeAcls on. */
function lagging(visibleFrom: number, entries: AclBinding[]): AclAdmin & { calls: number } {
  const admin = {
    calls: 0,
    createAcls: () => Promise.resolve(),
    deleteAcls: () => Promise.resolve([]),
    describeAcls: () => {
      admin.calls += 1;
      return Promise.resolve(admin.calls >= visibleFrom ? entries : entries.slice(0, 1));
    },
  };
  return admin;
}

describe('awaitAclsInForce', () => {
  const wanted = [binding('read'), binding('describe')];

  it('returns once every entry is visible', async () => {
    const admin = lagging(3, wanted);
    await expect(awaitAclsInForce(admin, principal, wanted, { pollMs: 1 })).resolves.toBe(true);
    expect(admin.calls).toBe(3);
  });

  it('gives up after the timeout while an entry is still missing', async () => {
    const admin = lagging(Number.POSITIVE_INFINITY, wanted);
    await expect(awaitAclsInForce(admin, principal, wanted, { pollMs: 5, timeoutMs: 30 })).resolves.toBe(
      false,
    );
    expect(admin.calls).toBeGreaterThan(1);
  });
});
