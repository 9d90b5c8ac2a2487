// A second, private broker (own data dir, CA and ports) proves the lifecycle without touching
// the shared one: start, reuse of the data directory on restart, and stop leaving no process.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDevBroker, stopDevBroker, type DevBroker } from '../src/kafka/dev-broker.ts';
import { isAlive } from '../src/kafka/broker-process.ts';
import {
  connectProducer,
  consumeFromStart,
  createTopic,
  disconnect,
  produceConfirmed,
} from '../src/testing/rdkafka-test-clients.ts';

async function javaProcessesUsing(configFile: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('kafka.Kafka') && cmdline.includes(configFile) && isAlive(Number(entry)))
      pids.push(Number(entry));
  }
  return pids;
}

describe('development broker lifecycle', () => {
  let devDir = '';
  const logs: string[] = [];
  const env = () => ({ ...process.env, ENCLAVE_DEV_DIR: devDir, ENCLAVE_KAFKA_PORT: '29193' });
  const start = () => startDevBroker({ env: env(), log: (line) => logs.push(line) });

  afterAll(async () => {
    if (devDir) {
      await stopDevBroker({ env: env() });
      await rm(devDir, { recursive: true, force: true });
    }
  });

  it('starts, restarts on the same data directory, and stops leaving no Java process', async () => {
    devDir = await mkdtemp(join(tmpdir(), 'enclave-broker-'));
    const first: DevBroker = await start();
    expect(isAlive(first.pid)).toBe(true);
    expect(logs.some((l) => l.startsWith('formatted new storage'))).toBe(true);

    const envFile = await readFile(first.paths.kafkaEnvFile, 'utf8');
    for (const key of [
      'KAFKA_BOOTSTRAP=127.0.0.1:29193',
      'KAFKA_CA=',
      'KAFKA_ADMIN_CERT=',
      'KAFKA_ADMIN_KEY=',
    ]) {
      expect(envFile).toContain(key);
    }

    const endpoint = { bootstrap: first.bootstrap, tls: first.admin };
    await createTopic(endpoint, 'lifecycle.check');
    const producer = await connectProducer(endpoint);
    await produceConfirmed(producer, 'lifecycle.check', Buffer.from('survives a restart'));
    await disconnect(producer);

    expect(await stopDevBroker({ env: env() })).toBe('stopped');
    expect(isAlive(first.pid)).toBe(false);
    expect(await javaProcessesUsing(first.paths.kafkaConfigFile)).toEqual([]);

    const second = await start();
    expect(second.pid).not.toBe(first.pid);
    expect(logs.some((l) => l.startsWith('reusing storage'))).toBe(true);
    const messages = await consumeFromStart(
      { bootstrap: second.bootstrap, tls: second.admin },
      'lifecycle.check',
      1,
    );
    expect(messages.map((m) => m.value?.toString())).toEqual(['survives a restart']);

    expect(await stopDevBroker({ env: env() })).toBe('stopped');
    expect(await javaProcessesUsing(second.paths.kafkaConfigFile)).toEqual([]);
    expect(await stopDevBroker({ env: env() })).toBe('not-running');
  }, 180_000);
});
