// Whether the signed-in role may call a route of the contract (its `access.roles`), so screens
// offer only what the server would allow instead of answering clicks with 403.
import { routes, type Role, type RouteName, type RouteSpec } from '@enclave/contracts';

export function roleMayCall(role: Role | undefined, name: RouteName): boolean {
  const spec: RouteSpec = routes[name];
  return role !== undefined && spec.access.kind === 'user' && spec.access.roles.includes(role);
}
