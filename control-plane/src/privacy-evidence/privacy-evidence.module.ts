// Privacy evidence (issue #7 items 4, 6, 8): notices and consent, the signed no-training
// attestation, the records of processing, the breach register and the residency report.
import { Module } from '@nestjs/common';
import { BreachRegister } from './breach-register.service.ts';
import { ConsentModule } from './consent.module.ts';
import { NoTrainingAttestations } from './no-training-attestation.service.ts';
import { PrivacyEvidenceController } from './privacy-evidence.controller.ts';
import { RecordsOfProcessingService } from './records-of-processing.service.ts';
import { ResidencyReports } from './residency-report.service.ts';

@Module({
  imports: [ConsentModule],
  controllers: [PrivacyEvidenceController],
  providers: [NoTrainingAttestations, RecordsOfProcessingService, BreachRegister, ResidencyReports],
})
export class PrivacyEvidenceModule {}
