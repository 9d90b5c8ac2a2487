import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContractError, decodeEnvelope, encodeEnvelope, topicKindOf, type Envelope } from '../src/index.ts';
import { anyEnvelope } from './arbitraries.ts';
import { bytesOf, examples } from './fixtures.ts';

/** Runs decode and fails the property if it throws anything but a ContractError. */
function decodesOrRejectsCleanly(bytes: Uint8Array): boolean {
  try {
    decodeEnvelope(bytes);
    return true;
  } catch (error) {
    if (error instanceof ContractError) return true;
    throw error;
  }
}

describe('codec properties', () => {
  it('every generated valid message round-trips, also when read on its own topic', () => {
    fc.assert(
      fc.property(anyEnvelope, (message: Envelope) => {
        const bytes = encodeEnvelope(message);
        expect(decodeEnvelope(bytes)).toEqual(message);
        expect(
          decodeEnvelope(bytes, {
            expectedTopicKind: topicKindOf(message.type),
            expectedNodeId: message.nodeId,
          }),
        ).toEqual(message);
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary bytes never make decode throw anything but a ContractError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), decodesOrRejectsCleanly), { numRuns: 2000 });
  });

  it('arbitrary JSON never makes decode throw anything but a ContractError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => decodesOrRejectsCleanly(bytesOf(value))),
      { numRuns: 1000 },
    );
  });

  it('a valid message with any one field replaced by arbitrary JSON decodes or is a ContractError', () => {
    const paths = (value: unknown, prefix: string[] = []): string[][] =>
      typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([key, child]) => [
            [...prefix, key],
            ...paths(child, [...prefix, key]),
          ])
        : [];
    const targets = Object.values(examples).flatMap((message) =>
      paths(message).map((path) => ({ message, path })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...targets), fc.jsonValue(), ({ message, path }, replacement) => {
        const copy = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
        let node: Record<string, unknown> = copy;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
        node[path[path.length - 1]!] = replacement;
        return decodesOrRejectsCleanly(bytesOf(copy));
      }),
      { numRuns: 2000 },
    );
  });

  it('truncating a valid message anywhere yields a ContractError, never a partial message', () => {
    fc.assert(
      fc.property(
        anyEnvelope,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (message, cut) => {
          const bytes = encodeEnvelope(message);
          const truncated = bytes.subarray(0, Math.floor(bytes.length * cut));
          expect(() => decodeEnvelope(truncated)).toThrow(ContractError);
        },
      ),
      { numRuns: 300 },
    );
  });
});
