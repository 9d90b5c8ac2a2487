// The inbound consumer in a child process that kills itself with SIGKILL right after a record's
// transaction committed and before its offset is committed: the crash window that the inbox
// makes harmless. stdout: `ready`, then `settled <topic> <offset> <outcome>` before the kill.
import { dispatchFromTable } from '../../src/messaging/inbound-handlers.ts';
import { messagingSettings, type KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { createInboundConsumer } from '../../src/messaging/messaging.factories.ts';
import { AppliedEvent } from './applied-event.entity.ts';
import { RecordingHandlers } from './recording-handlers.ts';
import { openOrm } from './test-database.ts';

export interface ConsumerChildConfig {
  dbFile: string;
  kafka: KafkaConnectionSettings;
  groupId: string;
  subscription: string[];
}

const config = JSON.parse(process.env['ENCLAVE_HARNESS'] ?? '{}') as ConsumerChildConfig;
const say = (line: string) => process.stdout.write(`${line}\n`);
const logger = {
  log: (m: string) => process.stderr.write(`log ${m}\n`),
  warn: (m: string) => process.stderr.write(`warn ${m}\n`),
  error: (m: string) => process.stderr.write(`error ${m}\n`),
};

const orm = await openOrm(config.dbFile, [AppliedEvent]);
const consumer = createInboundConsumer({
  em: orm.em,
  // The same static member id as the consumer that takes over after the kill.
  settings: messagingSettings({
    kafka: config.kafka,
    consumer: { groupId: config.groupId, instanceId: config.groupId },
  }),
  dispatch: dispatchFromTable(new RecordingHandlers().table),
  clock: () => new Date(),
  logger,
  subscription: config.subscription,
  observer: {
    settled(position, outcome) {
      say(`settled ${position.topic} ${position.offset} ${outcome}`);
      process.kill(process.pid, 'SIGKILL');
    },
  },
});
await consumer.start();
say('ready');
