// Who a signed-in person is to the appliance. A role is fixed per user and carried by every
// session and API token of that user; the route table says which roles may call each route.
import { z } from 'zod';

export const Role = {
  /** Agency IT: runs the rack, enrolls and revokes nodes, manages accounts. */
  ItAdmin: 'it-admin',
  /** Agency staff: projects, assets, jobs. */
  Producer: 'producer',
  /** Data-protection officer: data-subject requests, retention, audit. */
  Dpo: 'dpo',
  /** A user of the enterprise client: sees its own projects. */
  ClientUser: 'client-user',
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const ROLES = Object.values(Role) as readonly Role[];

export const RoleSchema = z.enum(Role);
