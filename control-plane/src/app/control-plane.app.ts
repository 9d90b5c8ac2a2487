// Builds and starts the whole control plane: the Nest application, the HTTP pipeline in its
// required order, and the two HTTPS listeners around the Express instance. main.ts and the
// tests start it the same way; tests only swap the log sink, clock or randomness.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { MikroORM } from '@mikro-orm/sqlite';
import type { RequestListener } from 'node:http';
import { AppModule } from '../app.module.ts';
import { kafkaConfigured, type MessagingOverrides } from '../kafka-link/kafka-link.module.ts';
import { RdkafkaServer } from '../messaging/index.ts';
import { SystemClock, type Clock } from '../common/clock.ts';
import { CryptoRandomness, type Randomness } from '../common/randomness.ts';
import type { ControlPlaneConfig } from '../config/control-plane.config.ts';
import { requestIntake } from '../http/request-intake.middleware.ts';
import { requestScope } from '../http/request-scope.middleware.ts';
import { uiStatic } from '../http/ui-static.middleware.ts';
import { HttpsListeners, type ListeningAddresses } from '../listeners/https-listeners.service.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { StdoutLogSink, type LogSink } from '../logging/log-sink.ts';

export interface ControlPlaneOverrides {
  readonly logSink?: LogSink;
  readonly clock?: Clock;
  readonly randomness?: Randomness;
  readonly messaging?: MessagingOverrides;
}

export interface RunningControlPlane {
  readonly app: NestExpressApplication;
  readonly addresses: ListeningAddresses;
  readonly logger: AppLogger;
  close(): Promise<void>;
}

export async function startControlPlane(
  config: ControlPlaneConfig,
  overrides: ControlPlaneOverrides = {},
): Promise<RunningControlPlane> {
  const clock = overrides.clock ?? new SystemClock();
  const randomness = overrides.randomness ?? new CryptoRandomness();
  const logger = new AppLogger(overrides.logSink ?? new StdoutLogSink(), config.ENCLAVE_LOG_LEVEL, () =>
    clock.now(),
  );
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register({
      config,
      logger,
      clock,
      randomness,
      ...(overrides.messaging !== undefined ? { messaging: overrides.messaging } : {}),
    }),
    new ExpressAdapter(),
    { logger, bodyParser: false, abortOnError: false },
  );
  try {
    installPipeline(app, config, randomness, logger);
    const kafka = kafkaConfigured(config);
    // Kafka handlers get the same global guard, interceptor and filter as HTTP (they skip
    // non-HTTP contexts); the consumer starts once every module is initialised.
    if (kafka) app.connectMicroservice({ strategy: app.get(RdkafkaServer) }, { inheritAppConfig: true });
    await app.init();
    if (kafka) await app.startAllMicroservices();
    const addresses = await app
      .get(HttpsListeners)
      .start(app.getHttpAdapter().getInstance() as RequestListener);
    return { app, addresses, logger, close: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/**
 * Order matters: intake (correlation id, headers, listener gate) before the body is read; the
 * JSON parser with its size limit; then the async-context scopes, which must start after body
 * parsing because parsing resumes in another async context. Nest's router, its 404 handler and
 * its error handler (our filter) come after these.
 */
function installPipeline(
  app: NestExpressApplication,
  config: ControlPlaneConfig,
  random: Randomness,
  log: AppLogger,
): void {
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use(requestIntake(random, log));
  // The web UI, same origin as the API; before the body parser (it serves GET only).
  if (config.ENCLAVE_UI_DIR !== undefined) app.use(uiStatic(config.ENCLAVE_UI_DIR));
  app.useBodyParser('json', { limit: config.ENCLAVE_BODY_LIMIT_BYTES });
  app.use(requestScope(app.get(MikroORM)));
}
