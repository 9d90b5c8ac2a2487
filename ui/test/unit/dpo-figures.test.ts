// The DPO screens' pure figures: consent shares, the breach notification clock, datetime-local
// values ↔ ISO, the breach form's body against the contract's own schema (and every message it
// can give has Arabic), and the signed report's file name.
import { CreateBreachRequestSchema } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  breachBody,
  grantedPercent,
  isoToLocalInput,
  localInputToIso,
  notifyTimer,
  signedReportFileName,
  type BreachFormValues,
} from '../../src/components/privacy/dpo-figures.ts';
import { validationText } from '../../src/i18n/validation.ts';

describe('grantedPercent', () => {
  it('is the whole percent of those who answered, null when nobody did', () => {
    expect(grantedPercent({ granted: 0, refused: 0 })).toBeNull();
    expect(grantedPercent({ granted: 1, refused: 2 })).toBe(33);
    expect(grantedPercent({ granted: 2, refused: 1 })).toBe(67);
    expect(grantedPercent({ granted: 5, refused: 0 })).toBe(100);
    expect(grantedPercent({ granted: 0, refused: 4 })).toBe(0);
  });
});

describe('notifyTimer', () => {
  const notifyBy = '2026-11-29T12:00:00.000Z';
  const at = (iso: string) => Date.parse(iso);

  it('counts down for open and contained breaches, rounding minutes up while time is left', () => {
    expect(notifyTimer(notifyBy, 'open', at('2026-11-26T12:00:00.000Z'))).toEqual({
      past: false,
      hours: 72,
      minutes: 0,
    });
    expect(notifyTimer(notifyBy, 'contained', at('2026-11-29T10:29:30.000Z'))).toEqual({
      past: false,
      hours: 1,
      minutes: 31,
    });
    expect(notifyTimer(notifyBy, 'open', at('2026-11-29T11:59:59.000Z'))).toEqual({
      past: false,
      hours: 0,
      minutes: 1,
    });
  });

  it('says how long ago the deadline passed, rounding down', () => {
    expect(notifyTimer(notifyBy, 'open', at(notifyBy))).toEqual({ past: true, hours: 0, minutes: 0 });
    expect(notifyTimer(notifyBy, 'open', at('2026-11-30T14:05:59.000Z'))).toEqual({
      past: true,
      hours: 26,
      minutes: 5,
    });
  });

  it('runs no clock once the regulator was notified or the breach is closed', () => {
    expect(notifyTimer(notifyBy, 'notified', at('2026-12-30T00:00:00.000Z'))).toBeNull();
    expect(notifyTimer(notifyBy, 'closed', at('2026-11-26T00:00:00.000Z'))).toBeNull();
  });
});

describe('datetime-local values', () => {
  it('round-trips a minute-precise instant through the browser time zone', () => {
    const iso = '2026-11-29T08:50:00.000Z';
    const local = isoToLocalInput(iso);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(localInputToIso(local)).toBe(iso);
  });

  it('passes an empty or unreadable value on, for the schema to name', () => {
    expect(localInputToIso('')).toBe('');
    expect(localInputToIso('yesterday')).toBe('yesterday');
    expect(localInputToIso('2026-13-45T99:99')).toBe('2026-13-45T99:99');
  });
});

describe('breachBody', () => {
  const values: BreachFormValues = {
    detectedAt: isoToLocalInput('2026-11-29T08:00:00.000Z'),
    description: 'A laptop with an export was lost',
    projectIds: [],
    from: isoToLocalInput('2026-11-20T00:00:00.000Z'),
    to: isoToLocalInput('2026-11-29T08:00:00.000Z'),
    status: 'open',
  };

  it('builds a body the contract accepts; no ticked project leaves projectIds out (every project)', () => {
    const body = breachBody(values);
    expect(body).toEqual({
      detectedAt: '2026-11-29T08:00:00.000Z',
      description: 'A laptop with an export was lost',
      scope: { from: '2026-11-20T00:00:00.000Z', to: '2026-11-29T08:00:00.000Z' },
      status: 'open',
    });
    expect(CreateBreachRequestSchema.safeParse(body).success).toBe(true);
    expect(breachBody({ ...values, projectIds: ['p1', 'p2'] }).scope.projectIds).toEqual(['p1', 'p2']);
  });

  it('lets the schema name each problem at its field, and every message reads in Arabic', () => {
    const empty = CreateBreachRequestSchema.safeParse(
      breachBody({ ...values, detectedAt: '', description: '  ', from: '', to: '' }),
    );
    expect(empty.success).toBe(false);
    const issues = empty.error!.issues.map((i) => [i.path.join('.'), i.message]);
    expect(new Set(issues.map(([path]) => path))).toEqual(
      new Set(['description', 'detectedAt', 'scope.from', 'scope.to']),
    );
    // The contract's from/to refinement also fires on two unreadable times (NaN); the form
    // shows the first message of a field, which is the timestamp's own.
    expect(issues.find(([path]) => path === 'scope.to')?.[1]).toBe('Invalid ISO datetime');
    expect(issues.find(([path]) => path === 'description')?.[1]).toBe('required');

    const reversed = CreateBreachRequestSchema.safeParse(
      breachBody({ ...values, from: values.to, to: values.from }),
    );
    expect(reversed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['scope.to', 'from must not be after to'],
    ]);

    const card = CreateBreachRequestSchema.safeParse(
      breachBody({ ...values, description: 'card 4111 1111 1111 1111 leaked' }),
    );
    const messages = [...empty.error!.issues, ...reversed.error!.issues, ...card.error!.issues].map(
      (i) => i.message,
    );
    for (const message of messages) expect(validationText(message, 'ar'), message).not.toBe(message);
  });
});

describe('signedReportFileName', () => {
  it('names the file after the format and the signing time', () => {
    expect(signedReportFileName('enclave-residency-report/v1', '2026-11-29T08:50:12.345Z')).toBe(
      'enclave-residency-report-20261129T085012Z.json',
    );
    expect(signedReportFileName('enclave-records-of-processing/v1', '2026-11-29T08:50:12Z')).toBe(
      'enclave-records-of-processing-20261129T085012Z.json',
    );
  });
});
