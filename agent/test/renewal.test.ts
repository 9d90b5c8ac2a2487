import { ensureIdentity, openDevCa } from '@enclave/devkit';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RenewalScheduler, type RenewedCertificate } from '../src/enroll/renewal.scheduler.ts';
import { ManualClock } from '../src/support/clock.ts';
import { ManualTimers } from '../src/support/timers.ts';
import { flushPromises } from './fixtures.ts';
import { kafkaContext } from './kafka-helpers.ts';

describe('RenewalScheduler', () => {
  it('renews at two thirds of the life, retries a failure, then reschedules for the new certificate', async () => {
    const ca = await openDevCa(kafkaContext().caDir);
    const files = await ensureIdentity(ca, mkdtempSync(join(tmpdir(), 'agent-renew-')), {
      profile: 'node',
      name: 'gpu-renew-1',
    });
    let certPem = readFileSync(files.cert, 'utf8');
    const cert = new X509Certificate(certPem);
    const clock = new ManualClock(cert.validFromDate);
    const timers = new ManualTimers(clock);
    const attempts: string[] = [];
    const renewed: RenewedCertificate[] = [];
    const failures: Date[] = [];
    let fail = true;
    const scheduler = new RenewalScheduler({
      clock,
      timers,
      random: () => 0.5,
      readCertificate: () => certPem,
      renewer: {
        renew: (current) => {
          attempts.push(current);
          if (fail) return Promise.reject(new Error('control plane unreachable'));
          return Promise.resolve({ certificatePem: certPem, chainPem: 'chain' });
        },
      },
      onRenewed: (next) => {
        renewed.push(next);
        certPem = next.certificatePem;
      },
      onFailed: (_error, retryAt) => failures.push(retryAt),
      retryMs: 60_000,
    });
    const life = cert.validToDate.getTime() - cert.validFromDate.getTime();
    const due = scheduler.schedule();
    expect(Math.abs(due.getTime() - cert.validFromDate.getTime() - (life * 2) / 3)).toBeLessThan(1);

    timers.advance(due.getTime() - clock.now().getTime() - 1);
    expect(attempts).toHaveLength(0);
    timers.advance(1);
    await flushPromises();
    expect(attempts).toHaveLength(1);
    expect(failures).toHaveLength(1);

    fail = false;
    timers.advance(60_000);
    await flushPromises();
    expect(renewed).toHaveLength(1);
    scheduler.stop();
  });
});
