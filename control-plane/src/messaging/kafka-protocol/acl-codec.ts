// Request and response bodies of ApiVersions, CreateAcls, DescribeAcls and DeleteAcls in their
// flexible versions (2 and 3 share one layout). Kafka 4 removed the old non-flexible versions
// of many APIs, so only flexible ones are spoken here.
import type { AclBinding, AclBindingFilter } from '../acl-admin.ts';
import { ProtocolDecodeError, type ProtocolReader } from './protocol-reader.ts';
import { ProtocolWriter } from './protocol-writer.ts';

export const ApiKey = { DescribeAcls: 29, CreateAcls: 30, DeleteAcls: 31, ApiVersions: 18 } as const;

// Wire codes from org.apache.kafka.common.{resource.ResourceType, resource.PatternType,
// acl.AclOperation, acl.AclPermissionType}.
const ANY = 1;
const RESOURCE_TYPE = {
  topic: 2,
  group: 3,
  cluster: 4,
  'transactional-id': 5,
  'delegation-token': 6,
  user: 7,
} as const;
const PATTERN_TYPE = { literal: 3, prefixed: 4 } as const;
const OPERATION = {
  all: 2,
  read: 3,
  write: 4,
  create: 5,
  delete: 6,
  alter: 7,
  describe: 8,
  'cluster-action': 9,
  'describe-configs': 10,
  'alter-configs': 11,
  'idempotent-write': 12,
  'create-tokens': 13,
  'describe-tokens': 14,
  'two-phase-commit': 15,
} as const;
const PERMISSION = { deny: 2, allow: 3 } as const;

function reverse<K extends string>(table: Record<K, number>, what: string): (code: number) => K {
  const byCode = new Map<number, K>(Object.entries(table).map(([k, v]) => [v as number, k as K]));
  return (code) => {
    const name = byCode.get(code);
    if (name === undefined) throw new ProtocolDecodeError(`unknown ${what} code ${code}`);
    return name;
  };
}
const resourceTypeOf = reverse(RESOURCE_TYPE, 'resource type');
const patternTypeOf = reverse(PATTERN_TYPE, 'pattern type');
const operationOf = reverse(OPERATION, 'operation');
const permissionOf = reverse(PERMISSION, 'permission');

export interface ApiVersionRange {
  readonly min: number;
  readonly max: number;
}

export function encodeApiVersionsRequest(softwareName: string, softwareVersion: string): Buffer {
  return new ProtocolWriter()
    .compactString(softwareName)
    .compactString(softwareVersion)
    .emptyTaggedFields()
    .toBuffer();
}

export function decodeApiVersionsResponse(reader: ProtocolReader): {
  errorCode: number;
  versions: Map<number, ApiVersionRange>;
} {
  const errorCode = reader.int16();
  const versions = new Map<number, ApiVersionRange>();
  reader.compactArray((r) => {
    const key = r.int16();
    versions.set(key, { min: r.int16(), max: r.int16() });
    r.skipTaggedFields();
  });
  return { errorCode, versions };
}

export function encodeCreateAclsRequest(bindings: readonly AclBinding[]): Buffer {
  return new ProtocolWriter()
    .compactArray(bindings, (w, b) => {
      w.int8(RESOURCE_TYPE[b.resourceType])
        .compactString(b.resourceName)
        .int8(PATTERN_TYPE[b.patternType])
        .compactString(b.principal)
        .compactString(b.host)
        .int8(OPERATION[b.operation])
        .int8(PERMISSION[b.permission])
        .emptyTaggedFields();
    })
    .emptyTaggedFields()
    .toBuffer();
}

export interface ResultCode {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export function decodeCreateAclsResponse(reader: ProtocolReader): ResultCode[] {
  reader.int32(); // throttle time
  return reader.compactArray((r) => {
    const result = { errorCode: r.int16(), errorMessage: r.compactNullableString() };
    r.skipTaggedFields();
    return result;
  });
}

function writeFilter(w: ProtocolWriter, f: AclBindingFilter): void {
  w.int8(f.resourceType ? RESOURCE_TYPE[f.resourceType] : ANY)
    .compactNullableString(f.resourceName ?? null)
    .int8(f.patternType ? PATTERN_TYPE[f.patternType] : ANY)
    .compactNullableString(f.principal ?? null)
    .compactNullableString(f.host ?? null)
    .int8(f.operation ? OPERATION[f.operation] : ANY)
    .int8(f.permission ? PERMISSION[f.permission] : ANY);
}

export function encodeDescribeAclsRequest(filter: AclBindingFilter): Buffer {
  const writer = new ProtocolWriter();
  writeFilter(writer, filter);
  return writer.emptyTaggedFields().toBuffer();
}

export function decodeDescribeAclsResponse(reader: ProtocolReader): ResultCode & { bindings: AclBinding[] } {
  reader.int32(); // throttle time
  const errorCode = reader.int16();
  const errorMessage = reader.compactNullableString();
  const bindings: AclBinding[] = [];
  reader.compactArray((r) => {
    const resourceType = resourceTypeOf(r.int8());
    const resourceName = r.compactString();
    const patternType = patternTypeOf(r.int8());
    r.compactArray((a) => {
      bindings.push({
        resourceType,
        resourceName,
        patternType,
        principal: a.compactString(),
        host: a.compactString(),
        operation: operationOf(a.int8()),
        permission: permissionOf(a.int8()),
      });
      a.skipTaggedFields();
    });
    r.skipTaggedFields();
  });
  reader.skipTaggedFields();
  return { errorCode, errorMessage, bindings };
}

export function encodeDeleteAclsRequest(filters: readonly AclBindingFilter[]): Buffer {
  return new ProtocolWriter()
    .compactArray(filters, (w, f) => {
      writeFilter(w, f);
      w.emptyTaggedFields();
    })
    .emptyTaggedFields()
    .toBuffer();
}

export interface DeleteFilterResult extends ResultCode {
  readonly matching: (ResultCode & { binding: AclBinding })[];
}

export function decodeDeleteAclsResponse(reader: ProtocolReader): DeleteFilterResult[] {
  reader.int32(); // throttle time
  return reader.compactArray((r) => {
    const errorCode = r.int16();
    const errorMessage = r.compactNullableString();
    const matching = r.compactArray((m) => {
      const entry = {
        errorCode: m.int16(),
        errorMessage: m.compactNullableString(),
        binding: {
          resourceType: resourceTypeOf(m.int8()),
          resourceName: m.compactString(),
          patternType: patternTypeOf(m.int8()),
          principal: m.compactString(),
          host: m.compactString(),
          operation: operationOf(m.int8()),
          permission: permissionOf(m.int8()),
        },
      };
      m.skipTaggedFields();
      return entry;
    });
    r.skipTaggedFields();
    return { errorCode, errorMessage, matching };
  });
}
