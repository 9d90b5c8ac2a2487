import { Global, Module } from '@nestjs/common';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { AuditController } from './audit.controller.ts';
import { AuditExport } from './audit-export.service.ts';
import { AuditSigningKey } from './audit-signing-key.ts';
import { AuditTrail } from './audit-trail.service.ts';
import { DetailsSealer, LocalKeyDetailsSealer } from './details-sealer.ts';
import { KeyDestructionAuditor } from './key-destruction.auditor.ts';

/**
 * The tamper-evident audit log. Global: any module injects `AuditTrail` and calls `record`.
 * The keys module may override `DetailsSealer` with a KeyRing-backed one. Key destructions
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
      inject: [CONTROL_PLANE_CONFIG],
      useFactory: (config: ControlPlaneConfig) => LocalKeyDetailsSealer.open(config.ENCLAVE_DATA_DIR),
    },
    AuditTrail,
    AuditExport,
    KeyDestructionAuditor,
  ],
  exports: [AuditTrail, DetailsSealer, AuditSigningKey],
})
export class AuditModule {}
