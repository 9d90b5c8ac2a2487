// The Kafka wire codec behind the ACL admin: primitives round-trip, short or hostile input
// fails cleanly, and the request bytes match the protocol's layout byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeDescribeAclsResponse,
  encodeCreateAclsRequest,
  encodeDeleteAclsRequest,
} from '../../src/messaging/kafka-protocol/acl-codec.ts';
import { parseBootstrap } from '../../src/messaging/kafka-protocol/broker-session.ts';
import { ProtocolDecodeError, ProtocolReader } from '../../src/messaging/kafka-protocol/protocol-reader.ts';
import { ProtocolWriter } from '../../src/messaging/kafka-protocol/protocol-writer.ts';

describe('Kafka wire primitives', () => {
  it('round-trips integers, varints, compact strings and arrays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -128, max: 127 }),
        fc.integer({ min: -32768, max: 32767 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
        fc.array(fc.string(), { maxLength: 20 }),
        (i8, i16, i32, varint, maybe, list) => {
          const bytes = new ProtocolWriter()
            .int8(i8)
            .int16(i16)
            .int32(i32)
            .unsignedVarint(varint)
            .compactNullableString(maybe)
            .compactArray(list, (w, s) => void w.compactString(s))
            .emptyTaggedFields()
            .toBuffer();
          const r = new ProtocolReader(bytes);
          expect([r.int8(), r.int16(), r.int32(), r.unsignedVarint(), r.compactNullableString()]).toEqual([
            i8,
            i16,
            i32,
            varint,
            maybe,
          ]);
          expect(r.compactArray((x) => x.compactString())).toEqual(list);
          r.skipTaggedFields();
          expect(r.remaining).toBe(0);
        },
      ),
    );
  });

  it('encodes varints as Kafka does (7 bits per byte, low first)', () => {
    expect([...new ProtocolWriter().unsignedVarint(0).toBuffer()]).toEqual([0]);
    expect([...new ProtocolWriter().unsignedVarint(127).toBuffer()]).toEqual([0x7f]);
    expect([...new ProtocolWriter().unsignedVarint(300).toBuffer()]).toEqual([0xac, 0x02]);
    expect(() => new ProtocolWriter().unsignedVarint(-1)).toThrow(RangeError);
  });

  it('fails with ProtocolDecodeError on any truncation, never reading past the end', () => {
    const full = new ProtocolWriter()
      .int32(7)
      .compactString('topic')
      .compactArray(['a', 'b'], (w, s) => void w.compactString(s))
      .toBuffer();
    for (let cut = 0; cut < full.length; cut++) {
      const r = new ProtocolReader(full.subarray(0, cut));
      expect(() => {
        r.int32();
        r.compactString();
        r.compactArray((x) => x.compactString());
      }).toThrow(ProtocolDecodeError);
    }
  });

  it('refuses an array count larger than the bytes that follow', () => {
    const lie = new ProtocolWriter().unsignedVarint(1_000_001).toBuffer();
    expect(() => new ProtocolReader(lie).compactArray((r) => r.int8())).toThrow(/1000000 items/);
  });
});

describe('ACL request and response bodies', () => {
  const binding = {
    resourceType: 'topic',
    resourceName: 'jobs.n1',
    patternType: 'literal',
    principal: 'User:node-n1',
    host: '*',
    operation: 'read',
    permission: 'allow',
  } as const;

  it('lays out CreateAcls v2/v3 as the protocol defines it', () => {
    const expected = Buffer.concat([
      Buffer.from([2]), // one creation (count + 1)
      Buffer.from([2]), // resource type TOPIC
      Buffer.from([8]),
      Buffer.from('jobs.n1'),
      Buffer.from([3]), // pattern LITERAL
      Buffer.from([13]),
      Buffer.from('User:node-n1'),
      Buffer.from([2]),
      Buffer.from('*'),
      Buffer.from([3]), // operation READ
      Buffer.from([3]), // permission ALLOW
      Buffer.from([0]), // entry tagged fields
      Buffer.from([0]), // request tagged fields
    ]);
    expect(encodeCreateAclsRequest([binding]).equals(expected)).toBe(true);
  });

  it('writes absent filter fields as ANY and null', () => {
    const bytes = encodeDeleteAclsRequest([{ principal: 'User:node-n1', permission: 'allow' }]);
    expect([...bytes]).toEqual([2, 1, 0, 1, 13, ...Buffer.from('User:node-n1'), 0, 1, 3, 0, 0]);
  });

  it('decodes a DescribeAcls answer into bindings, and refuses unknown codes', () => {
    const answer = (operation: number) =>
      new ProtocolWriter()
        .int32(0) // throttle
        .int16(0)
        .compactNullableString(null)
        .compactArray([0], (w) => {
          w.int8(2).compactString('jobs.n1').int8(3);
          w.compactArray(
            [0],
            (a) =>
              void a
                .compactString('User:node-n1')
                .compactString('*')
                .int8(operation)
                .int8(3)
                .emptyTaggedFields(),
          );
          w.emptyTaggedFields();
        })
        .emptyTaggedFields()
        .toBuffer();
    expect(decodeDescribeAclsResponse(new ProtocolReader(answer(3)))).toEqual({
      errorCode: 0,
      errorMessage: null,
      bindings: [binding],
    });
    expect(() => decodeDescribeAclsResponse(new ProtocolReader(answer(99)))).toThrow(
      /unknown operation code 99/,
    );
  });

  it('parses bootstrap lists and refuses bad ones', () => {
    expect(parseBootstrap('127.0.0.1:19093, broker-1:9093,[::1]:9093')).toEqual([
      { host: '127.0.0.1', port: 19093 },
      { host: 'broker-1', port: 9093 },
      { host: '::1', port: 9093 },
    ]);
    expect(() => parseBootstrap('')).toThrow(/empty/);
    expect(() => parseBootstrap('host:99999')).toThrow(/bad bootstrap address/);
    expect(() => parseBootstrap('no-port')).toThrow(/bad bootstrap address/);
  });
});
