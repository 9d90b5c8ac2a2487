// Data-subject rights (privacy policy §10, §11; UAE PDPL): requests and the DPO's queue, the
// one-time encrypted access export, erasure with a signed certificate, and restriction, which
// the jobs module enforces through RestrictionProcessingGate (provided there as ProcessingGate).
import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module.ts';
import { AuthModule } from '../auth/auth.module.ts';
import { CaModule } from '../ca/ca.module.ts';
import { AccountShredder } from './account-shredder.ts';
import { DeadlineReminders } from './deadline-reminders.service.ts';
import { PrivacyController } from './privacy.controller.ts';
import { PrivacyRequests } from './privacy-requests.service.ts';
import { SubjectErasure } from './subject-erasure.service.ts';
import { SubjectExports } from './subject-export.service.ts';
import { SubjectProcessingStopper } from './subject-processing.stopper.ts';
import { SubjectRectification } from './subject-rectification.service.ts';

@Module({
  imports: [AssetsModule, AuthModule, CaModule],
  controllers: [PrivacyController],
  providers: [
    AccountShredder,
    DeadlineReminders,
    PrivacyRequests,
    SubjectErasure,
    SubjectExports,
    SubjectProcessingStopper,
    SubjectRectification,
  ],
})
export class PrivacyModule {}
