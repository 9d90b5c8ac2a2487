// Audit routes (dpo, it-admin). Thin: export streams JSON lines, verify and checkpoint hand over.
import { routes, type AuditCheckpointDto, type AuditVerifyReply } from '@enclave/contracts';
import { Controller, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller } from '../http/route-params.decorator.ts';
import { AuditExport } from './audit-export.service.ts';
import { AuditTrail } from './audit-trail.service.ts';

@Controller()
export class AuditController {
  constructor(
    private readonly trail: AuditTrail,
    private readonly exporter: AuditExport,
  ) {}

  @ApiRoute(routes.exportAudit)
  export(@Caller() caller: UserCaller, @Res() res: ServerResponse): Promise<void> {
    return this.exporter.write(caller, res);
  }

  @ApiRoute(routes.verifyAudit)
  verify(): Promise<AuditVerifyReply> {
    return this.trail.verify();
  }

  @ApiRoute(routes.checkpointAudit)
  checkpoint(): Promise<AuditCheckpointDto> {
    return this.trail.checkpoint();
  }
}
