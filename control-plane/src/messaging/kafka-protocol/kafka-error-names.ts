// Names of the Kafka error codes an admin call can plausibly meet, for messages an operator can
// look up (org.apache.kafka.common.protocol.Errors). Others show their number.
const NAMES: ReadonlyMap<number, string> = new Map([
  [-1, 'UNKNOWN_SERVER_ERROR'],
  [7, 'REQUEST_TIMED_OUT'],
  [29, 'TOPIC_AUTHORIZATION_FAILED'],
  [30, 'GROUP_AUTHORIZATION_FAILED'],
  [31, 'CLUSTER_AUTHORIZATION_FAILED'],
  [35, 'UNSUPPORTED_VERSION'],
  [36, 'TOPIC_ALREADY_EXISTS'],
  [42, 'INVALID_REQUEST'],
  [54, 'SECURITY_DISABLED'],
]);

export function kafkaErrorName(code: number): string {
  return NAMES.get(code) ?? `Kafka error ${code}`;
}
