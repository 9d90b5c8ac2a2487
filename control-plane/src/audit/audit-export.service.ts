// GET /api/v1/audit/export: the export is itself audited, then a checkpoint is signed at the
// head (so the file is covered to its last entry), then header, entries and checkpoints go out
// as JSON lines. The log holds pseudonymous ids and sealed details only, so it is exported
// whole: a chain cannot be verified from a subset.
import { AuditAction } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { AuditTrail, userActor } from './audit-trail.service.ts';
import { exportLines } from './audit-verifier.ts';

@Injectable()
export class AuditExport {
  constructor(private readonly trail: AuditTrail) {}

  async write(caller: UserCaller, res: ServerResponse): Promise<void> {
    await this.trail.record({
      actor: userActor(caller.userId),
      tenantId: caller.tenantId,
      action: AuditAction.AuditExported,
    });
    await this.trail.checkpoint();
    const lines = exportLines(await this.trail.load());
    res.statusCode = 200;
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="enclave-audit.jsonl"');
    res.end(lines.join('\n') + '\n');
  }
}
