// An AuditTrail outside Nest (the admin CLI): the same key files in the same data directory, so
// what the CLI records joins the server's chain.
import type { MikroORM } from '@mikro-orm/sqlite';
import type { Clock } from '../common/clock.ts';
import { AuditSigningKey } from './audit-signing-key.ts';
import { AuditTrail } from './audit-trail.service.ts';
import { LocalKeyDetailsSealer } from './details-sealer.ts';

export async function openAuditTrail(orm: MikroORM, dataDir: string, clock: Clock): Promise<AuditTrail> {
  return new AuditTrail(
    orm,
    clock,
    await LocalKeyDetailsSealer.open(dataDir),
    await AuditSigningKey.open(dataDir),
  );
}
