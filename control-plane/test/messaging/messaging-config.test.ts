// Settings are checked once and frozen; a bad value names its field. The handler registry check
// names every missing, doubled or unknown type.
import { describe, expect, it } from 'vitest';
import { assertHandlerRegistry, INBOUND_MESSAGE_TYPES } from '../../src/messaging/inbound-handlers.ts';
import { messagingSettings } from '../../src/messaging/messaging.config.ts';

const kafka = {
  bootstrap: '127.0.0.1:19093',
  tls: { ca: 'ca.pem', chain: 'chain.pem', key: 'key.pem' },
  clientId: 'cp',
};

describe('messagingSettings', () => {
  it('fills defaults and freezes the result', () => {
    const settings = messagingSettings({ kafka, relay: { batchSize: 10 } });
    expect(settings.relay).toMatchObject({ instanceId: 'primary', batchSize: 10, pollIntervalMs: 1_000 });
    expect(settings.consumer.groupId).toBe('control-plane');
    expect(Object.isFrozen(settings) && Object.isFrozen(settings.kafka.tls)).toBe(true);
  });

  it('names every bad field', () => {
    expect(() =>
      messagingSettings({
        kafka: { ...kafka, bootstrap: ' ', tls: { ...kafka.tls, key: '' } },
        relay: { instanceId: 'Primary!', batchSize: 0 },
        consumer: { retryMaxMs: 1.5 },
      }),
    ).toThrow(
      /kafka\.bootstrap: required; kafka\.tls\.key: required; relay\.instanceId: .*; relay\.batchSize: a positive integer \(got 0\); consumer\.retryMaxMs: a positive integer \(got 1\.5\)/,
    );
  });
});

describe('inbound handler registry', () => {
  const complete = () => new Map(INBOUND_MESSAGE_TYPES.map((type) => [type as string, 1]));

  it('covers the results and heartbeats types of the contracts, and nothing sent to nodes', () => {
    expect([...INBOUND_MESSAGE_TYPES].sort()).toEqual(
      [
        'erase.receipt',
        'node.heartbeat',
        'task.accepted',
        'task.failed',
        'task.progress',
        'task.succeeded',
      ].sort(),
    );
  });

  it('accepts exactly one handler per type', () => {
    expect(() => assertHandlerRegistry(complete())).not.toThrow();
  });

  it('refuses a missing, a doubled and an unknown handler, naming each', () => {
    const counts = complete();
    counts.delete('task.failed');
    counts.set('node.heartbeat', 2);
    counts.set('task.assign', 1);
    expect(() => assertHandlerRegistry(counts)).toThrow(
      /task\.failed has no handler; node\.heartbeat has 2 handlers; a handler waits for "task\.assign"/,
    );
  });
});
