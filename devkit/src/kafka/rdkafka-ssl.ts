// librdkafka settings for a mutual-TLS client. librdkafka has no minimum-TLS setting: the
// broker enforces TLS 1.3 (see broker-config.ts).
import type { GlobalConfig } from 'node-rdkafka';

export interface ClientTlsFiles {
  /** Root certificate the broker chains to. */
  ca: string;
  /** Client certificate chain (leaf + intermediate); omit to test a client without one. */
  chain?: string;
  key?: string;
}

export function sslClientConfig(bootstrap: string, tls: ClientTlsFiles): GlobalConfig {
  const config: GlobalConfig = {
    'metadata.broker.list': bootstrap,
    'security.protocol': 'ssl',
    'ssl.ca.location': tls.ca,
    'ssl.endpoint.identification.algorithm': 'https',
    // Fail fast in tools and tests instead of retrying forever in the background.
    'socket.connection.setup.timeout.ms': 10_000,
    'reconnect.backoff.max.ms': 2_000,
    log_level: 3,
  };
  if (tls.chain) config['ssl.certificate.location'] = tls.chain;
  if (tls.key) config['ssl.key.location'] = tls.key;
  return config;
}
