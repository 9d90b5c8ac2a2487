// What /api/v1/health tells anyone who can reach the API listener: up, version, and whether the
// database passed its last integrity check. "degraded" means the check failed: restore soon.
import type { Health } from '@enclave/contracts';
import { buildOpenApiDocument } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { IntegrityService } from '../database/integrity.service.ts';
import { appVersion } from './app-version.ts';

@Injectable()
export class SystemService {
  #document: Record<string, unknown> | undefined;

  constructor(private readonly integrity: IntegrityService) {}

  health(): Health {
    const report = this.integrity.report();
    return {
      status: report.status === 'failed' ? 'degraded' : 'ok',
      version: appVersion(),
      database: { integrity: report.status, checkedAt: report.checkedAt?.toISOString() ?? null },
    };
  }

  /** Generated from the route table, exactly as contracts/openapi.json is. */
  openApiDocument(): Record<string, unknown> {
    this.#document ??= buildOpenApiDocument();
    return this.#document;
  }
}
