// librdkafka settings shared by every client of the control plane: mutual TLS with the
// appliance CA. librdkafka has no minimum-TLS setting (the broker enforces 1.3) and cannot
// reload a certificate: a rotated certificate takes effect when a client is rebuilt.
import type { GlobalConfig } from 'node-rdkafka';
import type { KafkaConnectionSettings } from './messaging.config.ts';

export function rdkafkaSecurity(kafka: KafkaConnectionSettings, role: string): GlobalConfig {
  return {
    'metadata.broker.list': kafka.bootstrap,
    'client.id': `${kafka.clientId}-${role}`,
    'security.protocol': 'ssl',
    'ssl.ca.location': kafka.tls.ca,
    'ssl.certificate.location': kafka.tls.chain,
    'ssl.key.location': kafka.tls.key,
    'ssl.endpoint.identification.algorithm': 'https',
    'socket.connection.setup.timeout.ms': 10_000,
    'reconnect.backoff.max.ms': 5_000,
    // librdkafka's own log lines go through event.log only at warning and above.
    log_level: 4,
  };
}
