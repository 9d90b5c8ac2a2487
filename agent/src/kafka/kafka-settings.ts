// librdkafka settings for the agent's mutual-TLS link, from the files enrollment stored.
import type { GlobalConfig } from 'node-rdkafka';

export interface KafkaLinkSettings {
  bootstrap: string;
  /** PEM files in the state directory: the CA the broker chains to, our chain and key (0600). */
  caFile: string;
  chainFile: string;
  keyFile: string;
  clientId: string;
}

export function rdkafkaTlsConfig(settings: KafkaLinkSettings): GlobalConfig {
  return {
    'metadata.broker.list': settings.bootstrap,
    'client.id': settings.clientId,
    'security.protocol': 'ssl',
    'ssl.ca.location': settings.caFile,
    'ssl.certificate.location': settings.chainFile,
    'ssl.key.location': settings.keyFile,
    'ssl.endpoint.identification.algorithm': 'https',
    'socket.connection.setup.timeout.ms': 10_000,
    'reconnect.backoff.max.ms': 5_000,
    log_level: 3,
  };
}
