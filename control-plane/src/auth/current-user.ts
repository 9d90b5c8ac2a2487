// The wire view of a signed-in user (contracts CurrentUser), from an account row or a caller.
import type { CurrentUser } from '@enclave/contracts';
import type { UserRow } from '../database/entities/user.entity.ts';
import { tenantScope } from '../database/tenant-scope.ts';
import type { UserCaller } from './caller.ts';

export function userCaller(user: UserRow, via: UserCaller['via'], credentialId: string): UserCaller {
  return {
    kind: 'user',
    userId: user.id,
    tenantId: user.tenant.id,
    scope: tenantScope(user.tenant.id),
    role: user.role,
    email: user.email,
    displayName: user.displayName,
    via,
    credentialId,
  };
}

export function currentUser(caller: UserCaller): CurrentUser {
  return {
    userId: caller.userId,
    tenantId: caller.tenantId,
    email: caller.email,
    displayName: caller.displayName,
    role: caller.role,
    via: caller.via,
  };
}
