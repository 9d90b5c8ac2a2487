// The token string: a strict, self-describing format that parses to a typed value or fails with
// TOKEN_MALFORMED, whatever it is fed (fast-check throws garbage at it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CertsError, formatEnrollmentToken, parseEnrollmentToken, verifyCaPin } from '../src/index.ts';

const token = { name: 'gpu-7', secret: Buffer.alloc(32, 1), caPin: Buffer.alloc(32, 2) };

describe('format', () => {
  it('round-trips and reads enc1.<node>.<secret>.<pin>', () => {
    const text = formatEnrollmentToken(token);
    expect(text).toMatch(/^enc1\.gpu-7\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect(parseEnrollmentToken(text)).toEqual(token);
    expect(parseEnrollmentToken(`  ${text}\n`)).toEqual(token); // pasted with whitespace
  });

  const good = formatEnrollmentToken(token);
  const [, , secret, pin] = good.split('.');
  it.each([
    ['wrong prefix', good.replace('enc1', 'enc2'), /unknown format/],
    ['missing part', `enc1.gpu-7.${secret}`, /expected 4/],
    ['extra part', `${good}.x`, /expected 4/],
    ['bad node id', `enc1.GPU.${secret}.${pin}`, /node id/],
    ['short secret', `enc1.gpu-7.${secret!.slice(1)}.${pin}`, /bad secret/],
    ['non-canonical base64url', `enc1.gpu-7.${secret!.slice(0, -1)}B.${pin}`, /bad secret/],
    ['bad pin', `enc1.gpu-7.${secret}.${pin!.replace(/./, '+')}`, /bad CA pin/],
    ['too long', 'x'.repeat(300), /too long/],
  ])('refuses %s', (_, text, why) => {
    expect(() => parseEnrollmentToken(text)).toThrow(why);
  });

  it('refuses non-strings', () => {
    expect(() => parseEnrollmentToken(42)).toThrow(
      expect.objectContaining({ code: 'TOKEN_MALFORMED' }) as Error,
    );
  });
});

const onlyMalformed = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CertsError);
    expect((error as CertsError).code).toBe('TOKEN_MALFORMED');
  }
};

describe('properties', () => {
  const tokens = fc.record({
    name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/),
    secret: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a)),
    caPin: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a)),
  });

  it('every well-formed token round-trips', () => {
    fc.assert(
      fc.property(tokens, (t) => {
        expect(parseEnrollmentToken(formatEnrollmentToken(t))).toEqual(t);
      }),
    );
  });

  it('arbitrary text never throws anything but TOKEN_MALFORMED', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.anything()), (x) =>
        onlyMalformed(() => parseEnrollmentToken(x)),
      ),
    );
  });

  it('a token with one character changed either parses to a different token or is malformed', () => {
    fc.assert(
      fc.property(tokens, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (t, at, c) => {
        const text = formatEnrollmentToken(t);
        const i = at % text.length;
        const mutated = text.slice(0, i) + c + text.slice(i + 1);
        onlyMalformed(() => {
          const parsed = parseEnrollmentToken(mutated);
          if (mutated !== text) expect(formatEnrollmentToken(parsed)).toBe(mutated);
        });
      }),
    );
  });

  it('verifyCaPin answers false, never throws, for garbage CA bundles', () => {
    fc.assert(
      fc.property(fc.string(), (pem) => {
        expect(verifyCaPin(token, pem)).toBe(false);
      }),
    );
    const garbageCert = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(verifyCaPin(token, garbageCert)).toBe(false);
  });
});
