import Kafka from 'node-rdkafka';
import { describe, expect, it } from 'vitest';

describe('node-rdkafka build', () => {
  // Without libssl-dev at build time librdkafka silently drops SSL, and every link here is mTLS.
  it('has SSL compiled in', () => {
    expect(Kafka.features).toContain('ssl');
    expect(Kafka.librdkafkaVersion).toMatch(/^2\./);
  });
});
