// The root module. Feature modules (auth, projects, agent, system, nodes, jobs; later keys and
// privacy) import what they need; the platform pieces below are global: config,
// clock, randomness, timers, logger and the database.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.ts';
import { AgentModule } from './agent/agent.module.ts';
import { AssetsModule } from './assets/assets.module.ts';
import { AuditModule } from './audit/audit.module.ts';
import { AuthModule } from './auth/auth.module.ts';
import { CaModule } from './ca/ca.module.ts';
import { Clock } from './common/clock.ts';
import { IntervalTimers } from './common/interval-timers.ts';
import { Randomness } from './common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from './config/control-plane.config.ts';
import { DatabaseModule } from './database/database.module.ts';
import { HttpModule } from './http/http.module.ts';
import { JobsModule } from './jobs/jobs.module.ts';
import { KeysModule } from './keys/keys.module.ts';
import { KafkaLinkModule, type MessagingOverrides } from './kafka-link/kafka-link.module.ts';
import { NodesModule } from './nodes/nodes.module.ts';
import { SchedulingModule } from './scheduling/scheduling.module.ts';
import { ListenersModule } from './listeners/listeners.module.ts';
import { AppLogger } from './logging/app-logger.ts';
import { ProjectsModule } from './projects/projects.module.ts';
import { RetentionModule } from './retention/retention.module.ts';
import { PrivacyModule } from './privacy/privacy.module.ts';
import { PrivacyEvidenceModule } from './privacy-evidence/privacy-evidence.module.ts';
import { SystemModule } from './system/system.module.ts';

export interface PlatformProviders {
  readonly config: ControlPlaneConfig;
  readonly logger: AppLogger;
  readonly clock: Clock;
  readonly randomness: Randomness;
  readonly messaging?: MessagingOverrides;
}

@Global()
@Module({})
class PlatformModule {
  static register(platform: PlatformProviders): DynamicModule {
    const providers = [
      { provide: CONTROL_PLANE_CONFIG, useValue: platform.config },
      { provide: AppLogger, useValue: platform.logger },
      { provide: Clock, useValue: platform.clock },
      { provide: Randomness, useValue: platform.randomness },
      IntervalTimers,
    ];
    return { module: PlatformModule, providers, exports: providers };
  }
}

@Module({})
export class AppModule {
  static register(platform: PlatformProviders): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.register(platform),
        DatabaseModule,
        AuditModule,
        HttpModule,
        CaModule,
        AuthModule,
        ListenersModule,
        SystemModule,
        ProjectsModule,
        AgentModule,
        AdminModule,
        // Kafka (outbox relay, consumer, node topics) when ENCLAVE_KAFKA_* are set; offline otherwise.
        KafkaLinkModule.register(platform.config, platform.messaging),
        SchedulingModule,
        NodesModule,
        JobsModule,
        RetentionModule,
        PrivacyModule,
        PrivacyEvidenceModule,
        // Keys late: the master key is checked after the database and the CA, so start-up
        // reports their problems first.
        KeysModule,
        AssetsModule,
      ],
    };
  }
}
