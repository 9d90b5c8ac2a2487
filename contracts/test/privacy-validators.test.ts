// The free-text card-number guard and the UAE TRN validator (pure logic).
import { describe, expect, it } from 'vitest';
import {
  cardNumberPath,
  containsCardNumber,
  CreatePrivacyRequestSchema,
  CreateProjectRequestSchema,
  isUaeTrn,
  luhnValid,
  SubmitJobRequestSchema,
} from '../src/index.ts';

describe('card numbers', () => {
  it.each([
    '4111111111111111',
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    'pay with 5500005555555559 please',
    '378282246310005', // 15-digit Amex
    '6011111111111117',
    'ref 99 4111111111111111 99', // next to other numbers
  ])('finds %s', (text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    '4111111111111112', // fails Luhn
    '41111111111111110000', // 20 digits: not a card number
    '123456789012', // 12 digits
    'Order 1234567890',
    'call +971 56 521 9474',
    '2026-11-29T05:00:00Z',
    'no digits at all',
  ])('leaves %s alone', (text) => {
    expect(containsCardNumber(text)).toBe(false);
  });

  it('implements Luhn', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });

  it('is enforced by the schemas the UI and the API share', () => {
    const name = CreateProjectRequestSchema.safeParse({ name: 'card 4111 1111 1111 1111' });
    expect(name.success).toBe(false);
    expect(name.error?.issues[0]?.message).toContain('card numbers must not be entered');
    const job = SubmitJobRequestSchema.safeParse({
      template: 'promo-video',
      params: { script: ['intro', { text: 'pay 4111111111111111' }] },
      idempotencyKey: 'k1',
    });
    expect(job.success).toBe(false);
    expect(job.error?.issues[0]?.path).toEqual(['params', 'script', 1, 'text']);
    expect(CreatePrivacyRequestSchema.safeParse({ kind: 'access', notes: '4111111111111111' }).success).toBe(
      false,
    );
    expect(cardNumberPath({ a: ['x', 1, null] })).toBeNull();
  });
});

describe('UAE TRN', () => {
  it('is 15 digits starting with 100', () => {
    expect(isUaeTrn('100123456789012')).toBe(true);
    expect(isUaeTrn('200123456789012')).toBe(false);
    expect(isUaeTrn('10012345678901')).toBe(false);
    expect(isUaeTrn('1001234567890123')).toBe(false);
    expect(isUaeTrn('100 123 456 789 012')).toBe(false);
  });
});
