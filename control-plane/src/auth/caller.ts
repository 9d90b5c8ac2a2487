// Who is calling, as the access guard established it. Handlers get it through @Caller(); the
// tenant always comes from here (the session or token), never from the request. It holds no
// personal data: email and name are sealed and opened only where a reply shows them.
import type { Role } from '@enclave/contracts';
import type { TenantScope } from '../database/tenant-scope.ts';

export interface UserCaller {
  readonly kind: 'user';
  readonly userId: string;
  readonly tenantId: string;
  readonly scope: TenantScope;
  readonly role: Role;
  /** The credential of this request: a session (browser) or an API token (CLI). */
  readonly via: 'session' | 'token';
  /** The stored id (hash) of the session, or the token's id. */
  readonly credentialId: string;
}

export interface NodeCaller {
  readonly kind: 'node';
  readonly nodeId: string;
  readonly principal: string;
  readonly serial: string;
  readonly certificateNotAfter: string;
  /** The presented certificate (PEM), for renewal. */
  readonly certificatePem: string;
}

export interface AnonymousCaller {
  readonly kind: 'anonymous';
}

export type AnyCaller = UserCaller | NodeCaller | AnonymousCaller;
