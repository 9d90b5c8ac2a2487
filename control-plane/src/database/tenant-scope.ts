// The tenant a piece of work is done for. Every repository method over tenant-owned rows takes
// one as its first argument, so no query can leave the tenant filter out by accident. Only the
// authentication layer (from a session or token) and the admin CLI make them; a request never
// names its own tenant.
declare const tenantScopeBrand: unique symbol;

export interface TenantScope {
  readonly tenantId: string;
  readonly [tenantScopeBrand]: true;
}

export function tenantScope(tenantId: string): TenantScope {
  return Object.freeze({ tenantId }) as TenantScope;
}
