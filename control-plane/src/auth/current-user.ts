// The wire view of a signed-in user (contracts CurrentUser), from a caller and the opened
// personal-data columns of their account (PersonalDataSealer.view).
import type { CurrentUser } from '@enclave/contracts';
import type { UserRow } from '../database/entities/user.entity.ts';
import { tenantScope } from '../database/tenant-scope.ts';
import type { Person } from '../keys/personal-data.sealer.ts';
import type { UserCaller } from './caller.ts';

export function userCaller(user: UserRow, via: UserCaller['via'], credentialId: string): UserCaller {
  return {
    kind: 'user',
    userId: user.id,
    tenantId: user.tenant.id,
    scope: tenantScope(user.tenant.id),
    role: user.role,
    via,
    credentialId,
  };
}

export function currentUser(caller: UserCaller, person: Person): CurrentUser {
  return {
    userId: caller.userId,
    tenantId: caller.tenantId,
    email: person.email,
    displayName: person.displayName,
    role: caller.role,
    via: caller.via,
  };
}
