// The inbound consumer in a child process that keeps running until it is killed: the static
// member that crashes in issue #4's regression test. stdout: `ready`, then
// `settled <topic> <offset> <outcome>` for every record it applied.
import { dispatchFromTable } from '../../src/messaging/inbound-handlers.ts';
import { messagingSettings, type KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { createInboundConsumer } from '../../src/messaging/messaging.factories.ts';
import { AppliedEvent } from './applied-event.entity.ts';
import { RecordingHandlers } from './recording-handlers.ts';
import { openOrm } from './test-database.ts';

export interface StaticMemberChildConfig {
  dbFile: string;
  kafka: KafkaConnectionSettings;
  /** Also the static member id, as the consumer that takes over after the kill uses it. */
  groupId: string;
  subscription: string[];
  /** Long, so that the child does not discover topics created after it joined before the kill. */
  metadataRefreshMs: number;
}

const config = JSON.parse(process.env['ENCLAVE_HARNESS'] ?? '{}') as StaticMemberChildConfig;
const say = (line: string) => process.stdout.write(`${line}\n`);
const logger = {
  log: (m: string) => process.stderr.write(`log ${m}\n`),
  warn: (m: string) => process.stderr.write(`warn ${m}\n`),
  error: (m: string) => process.stderr.write(`error ${m}\n`),
};

const orm = await openOrm(config.dbFile, [AppliedEvent]);
const consumer = createInboundConsumer({
  em: orm.em,
  settings: messagingSettings({
    kafka: config.kafka,
    consumer: {
      groupId: config.groupId,
      instanceId: config.groupId,
      metadataRefreshMs: config.metadataRefreshMs,
    },
  }),
  dispatch: dispatchFromTable(new RecordingHandlers().table),
  clock: () => new Date(),
  logger,
  subscription: config.subscription,
  observer: {
    settled(position, outcome) {
      say(`settled ${position.topic} ${position.offset} ${outcome}`);
    },
  },
});
await consumer.start();
say('ready');
