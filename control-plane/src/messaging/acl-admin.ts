// What the control plane needs from Kafka's ACL API, in domain words. node-rdkafka's AdminClient
// has no ACL calls, so the implementation (kafka-protocol/protocol-acl-admin.ts) speaks the
// protocol itself; services depend on this interface only.

export const AclResourceType = {
  Topic: 'topic',
  Group: 'group',
  Cluster: 'cluster',
  TransactionalId: 'transactional-id',
  DelegationToken: 'delegation-token',
  User: 'user',
} as const;
export type AclResourceType = (typeof AclResourceType)[keyof typeof AclResourceType];

export const AclPatternType = { Literal: 'literal', Prefixed: 'prefixed' } as const;
export type AclPatternType = (typeof AclPatternType)[keyof typeof AclPatternType];

export const AclOperation = {
  All: 'all',
  Read: 'read',
  Write: 'write',
  Create: 'create',
  Delete: 'delete',
  Alter: 'alter',
  Describe: 'describe',
  ClusterAction: 'cluster-action',
  DescribeConfigs: 'describe-configs',
  AlterConfigs: 'alter-configs',
  IdempotentWrite: 'idempotent-write',
  CreateTokens: 'create-tokens',
  DescribeTokens: 'describe-tokens',
  TwoPhaseCommit: 'two-phase-commit',
} as const;
export type AclOperation = (typeof AclOperation)[keyof typeof AclOperation];

export const AclPermission = { Allow: 'allow', Deny: 'deny' } as const;
export type AclPermission = (typeof AclPermission)[keyof typeof AclPermission];

/** One ACL entry: `principal` may (or may not) do `operation` on the resource from `host`. */
export interface AclBinding {
  readonly resourceType: AclResourceType;
  readonly resourceName: string;
  readonly patternType: AclPatternType;
  /** With its type prefix, as the authorizer sees it: `User:node-gpu-07`. */
  readonly principal: string;
  /** `*` for any host. */
  readonly host: string;
  readonly operation: AclOperation;
  readonly permission: AclPermission;
}

/** Matches ACL entries; an absent field matches anything. */
export interface AclBindingFilter {
  readonly resourceType?: AclResourceType;
  readonly resourceName?: string;
  readonly patternType?: AclPatternType;
  readonly principal?: string;
  readonly host?: string;
  readonly operation?: AclOperation;
  readonly permission?: AclPermission;
}

export interface AclAdmin {
  /** Creates the entries; an entry that already exists is left as it is (Kafka treats it as success). */
  createAcls(bindings: readonly AclBinding[]): Promise<void>;
  describeAcls(filter: AclBindingFilter): Promise<AclBinding[]>;
  /** Deletes every entry matching any filter and returns what was deleted. */
  deleteAcls(filters: readonly AclBindingFilter[]): Promise<AclBinding[]>;
}

/** Kafka's principal string for a short principal name from the broker's mapping rules. */
export function userPrincipal(name: string): string {
  return `User:${name}`;
}
