// Asks the broker for cluster metadata over mTLS: the readiness check of `kafka:start`, and
// how tests observe that a client is refused (it never gets metadata; librdkafka's error
// events say why, for example an SSL handshake failure).
import Kafka from 'node-rdkafka';
import { sslClientConfig, type ClientTlsFiles } from './rdkafka-ssl.ts';

export interface ProbeResult {
  ok: boolean;
  brokers: number;
  /** Every error seen: librdkafka error events, then the connect/metadata failure. */
  errors: string[];
}

export async function probeMetadata(
  bootstrap: string,
  tls: ClientTlsFiles,
  timeoutMs = 5_000,
): Promise<ProbeResult> {
  const producer = new Kafka.Producer({
    ...sslClientConfig(bootstrap, tls),
    'client.id': 'enclave-probe',
    event_cb: true,
  });
  const errors: string[] = [];
  producer.on('event.error', (err: Kafka.LibrdKafkaError) => {
    errors.push(err.message);
  });
  // A refused handshake shows only in librdkafka's log ("SSL alert ... bad certificate").
  producer.on('event.log', (log: { severity: number; message: string }) => {
    if (log.severity <= 3) errors.push(log.message);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      producer.connect({ timeout: timeoutMs }, (err) => (err ? reject(new Error(err.message)) : resolve()));
    });
    const metadata = await new Promise<Kafka.Metadata>((resolve, reject) => {
      producer.getMetadata({ timeout: timeoutMs }, (err, data) =>
        err ? reject(new Error(err.message)) : resolve(data),
      );
    });
    return { ok: metadata.brokers.length > 0, brokers: metadata.brokers.length, errors };
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
    return { ok: false, brokers: 0, errors };
  } finally {
    if (producer.isConnected()) await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }
}
