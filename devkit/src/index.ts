export {
  startDevBroker,
  stopDevBroker,
  devBrokerRunning,
  brokerPorts,
  adminPrincipal,
  type DevBroker,
} from './kafka/dev-broker.ts';
export { devPaths, repoRoot, type DevPaths } from './kafka/dev-paths.ts';
export { sslClientConfig, type ClientTlsFiles } from './kafka/rdkafka-ssl.ts';
export { probeMetadata } from './kafka/metadata-probe.ts';
export { openDevCa, ensureIdentity, type IdentityFiles } from './kafka/dev-tls.ts';
export {
  brokerSecurityLines,
  principalMappingRule,
  type BrokerSecurityInput,
} from './kafka/broker-config.ts';
