import { Global, Module } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { AuditController } from './audit.controller.ts';
import { AuditExport } from './audit-export.service.ts';
import { AuditSigningKey } from './audit-signing-key.ts';
import { AuditTrail } from './audit-trail.service.ts';
import { DetailsSealer, LocalKeyDetailsSealer } from './details-sealer.ts';
import { KeyDestructionAuditor } from './key-destruction.auditor.ts';
import { SubjectKeyDetailsSealer } from '../keys/subject-details.sealer.ts';
import { SubjectKeys } from '../keys/subject-keys.service.ts';

/**
 * The tamper-evident audit log. Global: any module injects `AuditTrail` and calls `record`.
 * `DetailsSealer` seals details about a person under their subject key (keys/). Key destructions
 * (KeyEvents `key-destroyed`) are recorded by KeyDestructionAuditor.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    {
      provide: AuditSigningKey,
      inject: [CONTROL_PLANE_CONFIG],
      useFactory: (config: ControlPlaneConfig) => AuditSigningKey.open(config.ENCLAVE_DATA_DIR),
    },
    {
      provide: DetailsSealer,
      // Details about a person under their subject key (erasure shreds them); the rest under
      // the tenant key of LocalKeyDetailsSealer.
      inject: [CONTROL_PLANE_CONFIG, SubjectKeys, MikroORM],
      useFactory: async (config: ControlPlaneConfig, keys: SubjectKeys, orm: MikroORM) =>
        new SubjectKeyDetailsSealer(await LocalKeyDetailsSealer.open(config.ENCLAVE_DATA_DIR), keys, orm),
    },
    AuditTrail,
    AuditExport,
    KeyDestructionAuditor,
  ],
  exports: [AuditTrail, DetailsSealer, AuditSigningKey],
})
export class AuditModule {}
