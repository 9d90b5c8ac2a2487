// Notices and consent on their own, so the auth module can show `reacknowledgementRequired` on
// GET /api/v1/auth/me without depending on the rest of the privacy evidence.
import { Module } from '@nestjs/common';
import { ConsentService } from './consent.service.ts';

@Module({ providers: [ConsentService], exports: [ConsentService] })
export class ConsentModule {}
