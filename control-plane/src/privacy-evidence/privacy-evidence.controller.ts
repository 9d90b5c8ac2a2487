// Privacy evidence routes. Thin: each handler hands over to one service.
import {
  routes,
  type AffectedSubjects,
  type BreachDto,
  type ConsentHistory,
  type ConsentRecordDto,
  type ConsentStats,
  type NoTrainingAttestation,
  type PrivacyNotice,
  type RecordsOfProcessing,
  type ResidencyReport,
  type RouteInput,
} from '@enclave/contracts';
import { Controller } from '@nestjs/common';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { BreachRegister } from './breach-register.service.ts';
import { ConsentService } from './consent.service.ts';
import { NoTrainingAttestations } from './no-training-attestation.service.ts';
import { RecordsOfProcessingService } from './records-of-processing.service.ts';
import { ResidencyReports } from './residency-report.service.ts';

type In<K extends keyof typeof routes> = RouteInput<(typeof routes)[K]>;

@Controller()
export class PrivacyEvidenceController {
  constructor(
    private readonly consent: ConsentService,
    private readonly attestations: NoTrainingAttestations,
    private readonly records: RecordsOfProcessingService,
    private readonly breaches: BreachRegister,
    private readonly residency: ResidencyReports,
  ) {}

  @ApiRoute(routes.currentPrivacyNotice)
  currentNotice(@Caller() caller: UserCaller): Promise<PrivacyNotice> {
    return this.consent.current(caller);
  }

  @ApiRoute(routes.publishPrivacyNotice)
  publishNotice(
    @Caller() caller: UserCaller,
    @Input() input: In<'publishPrivacyNotice'>,
  ): Promise<PrivacyNotice> {
    return this.consent.publish(caller, input.body);
  }

  @ApiRoute(routes.recordConsent)
  recordConsent(
    @Caller() caller: UserCaller,
    @Input() input: In<'recordConsent'>,
  ): Promise<ConsentRecordDto> {
    return this.consent.record(caller, input.body);
  }

  @ApiRoute(routes.consentHistory)
  consentHistory(@Caller() caller: UserCaller): Promise<ConsentHistory> {
    return this.consent.history(caller);
  }

  @ApiRoute(routes.consentStats)
  consentStats(@Caller() caller: UserCaller): Promise<ConsentStats> {
    return this.consent.stats(caller);
  }

  @ApiRoute(routes.noTrainingAttestation)
  attestation(): Promise<NoTrainingAttestation> {
    return this.attestations.generate();
  }

  @ApiRoute(routes.recordsOfProcessing)
  recordsOfProcessing(@Caller() caller: UserCaller): Promise<RecordsOfProcessing> {
    return this.records.build(caller);
  }

  @ApiRoute(routes.createBreach)
  createBreach(@Caller() caller: UserCaller, @Input() input: In<'createBreach'>): Promise<BreachDto> {
    return this.breaches.create(caller, input.body);
  }

  @ApiRoute(routes.listBreaches)
  listBreaches(@Caller() caller: UserCaller): Promise<{ items: BreachDto[] }> {
    return this.breaches.list(caller);
  }

  @ApiRoute(routes.updateBreachStatus)
  updateBreachStatus(
    @Caller() caller: UserCaller,
    @Input() input: In<'updateBreachStatus'>,
  ): Promise<BreachDto> {
    return this.breaches.setStatus(caller, input.params.breachId, input.body.status);
  }

  @ApiRoute(routes.breachAffectedSubjects)
  affectedSubjects(
    @Caller() caller: UserCaller,
    @Input() input: In<'breachAffectedSubjects'>,
  ): Promise<AffectedSubjects> {
    return this.breaches.affectedSubjects(caller, input.params.breachId);
  }

  @ApiRoute(routes.residencyReport)
  residencyReport(): Promise<ResidencyReport> {
    return this.residency.report();
  }
}
