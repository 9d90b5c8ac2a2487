import { describe, expect, it } from 'vitest';
import { runWithCorrelation } from '../../src/common/correlation.ts';
import { AppLogger } from '../../src/logging/app-logger.ts';
import { MemoryLogSink } from '../support/memory-log-sink.ts';

describe('AppLogger', () => {
  it('writes one JSON line with the correlation id of the current request', () => {
    const sink = new MemoryLogSink();
    const log = new AppLogger(sink, 'info', () => new Date('2026-01-01T00:00:00Z'));
    runWithCorrelation({ correlationId: 'corr-1234' }, () => log.write('info', 'hello', { userId: 'u1' }));
    expect(sink.entries()).toEqual([
      {
        ts: '2026-01-01T00:00:00.000Z',
        level: 'info',
        msg: 'hello',
        correlationId: 'corr-1234',
        userId: 'u1',
      },
    ]);
  });

  it('redacts fields that name secrets, however deep', () => {
    const sink = new MemoryLogSink();
    const log = new AppLogger(sink, 'debug');
    log.write('info', 'x', {
      password: 'hunter2',
      headers: { cookie: 'a=b', Authorization: 'Bearer enc_pat_x' },
      nested: [{ apiToken: 't', passphrase: 'p', sessionId: 's' }],
    });
    expect(sink.text).not.toMatch(/hunter2|a=b|enc_pat_x|"t"|"p"|"s"/);
    expect(sink.entries()[0]).toMatchObject({ password: '[redacted]', headers: { cookie: '[redacted]' } });
  });

  it('drops lines below its level and keeps Nest’s context', () => {
    const sink = new MemoryLogSink();
    const log = new AppLogger(sink, 'warn');
    log.log('mapped route', 'RouterExplorer');
    log.warn('careful', 'InstanceLoader');
    expect(sink.entries()).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'careful', context: 'InstanceLoader' }),
    ]);
  });
});
