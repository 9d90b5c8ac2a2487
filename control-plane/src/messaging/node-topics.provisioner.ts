// A node's place in Kafka: its three topics and the ACLs that make the topic authenticate the
// sender. Enrollment calls provision(); revocation calls deny(), which cuts the node off on its
// next request even while it stays connected (Kafka has no CRL; see docs/messaging.md).
import { nodePrincipal, nodeTopics, type NodeId } from '@enclave/contracts';
import {
  AclOperation,
  AclPatternType,
  AclPermission,
  AclResourceType,
  userPrincipal,
  type AclAdmin,
  type AclBinding,
} from './acl-admin.ts';
import { awaitAclsInForce } from './acls-in-force.ts';
import { MessagingError, MessagingErrorCode } from './messaging.errors.ts';
import type { MessagingLogger } from './messaging.logger.ts';
import type { TopicAdmin } from './topic-admin.ts';

const ANY_HOST = '*';
/** Kafka's wildcard resource name: a literal `*` matches every resource of the type. */
const WILDCARD = '*';

export class NodeTopicsProvisioner {
  readonly #topics: TopicAdmin;
  readonly #acls: AclAdmin;
  readonly #logger: MessagingLogger;

  constructor(topics: TopicAdmin, acls: AclAdmin, logger: MessagingLogger) {
    this.#topics = topics;
    this.#acls = acls;
    this.#logger = logger;
  }

  /**
   * Creates the node's topics and grants its principal exactly what its role needs. Safe to
   * repeat (an enrollment retried after a crash). Refuses a node id that is denied: the old,
   * revoked certificate carries the same principal, so re-using the id would let it back in.
   */
  async provision(nodeId: NodeId): Promise<void> {
    const principal = userPrincipal(nodePrincipal(nodeId));
    const denied = await this.#acls.describeAcls({ principal, permission: AclPermission.Deny });
    if (denied.length > 0) {
      throw new MessagingError(
        MessagingErrorCode.NODE_DENIED,
        `Node ${nodeId} is denied in Kafka (revoked); enroll the machine under a new node id.`,
      );
    }
    const topics = nodeTopics(nodeId);
    await this.#topics.ensureTopics([topics.jobs, topics.results, topics.heartbeats]);
    await this.#grant(principal, nodeAcls(nodeId));
    this.#logger.log(`kafka: provisioned topics and ACLs of node ${nodeId}`);
  }

  /** Denies the node everything, on every topic and group, whatever else allows it. */
  async deny(nodeId: NodeId): Promise<void> {
    await this.#grant(userPrincipal(nodePrincipal(nodeId)), denyAcls(nodeId));
    this.#logger.log(`kafka: denied node ${nodeId}`);
  }

  /** Creates the entries and returns once the broker enforces them (see acls-in-force.ts). */
  async #grant(principal: string, bindings: AclBinding[]): Promise<void> {
    await this.#acls.createAcls(bindings);
    if (!(await awaitAclsInForce(this.#acls, principal, bindings))) {
      this.#logger.warn(`kafka: ACLs of ${principal} not yet visible on the broker after 15 s; going on`);
    }
  }

  /**
   * Deletes the node's topics and its ALLOW entries. DENY entries stay: a revoked certificate
   * remains valid until it expires, and the deny is what keeps it out.
   */
  async remove(nodeId: NodeId): Promise<void> {
    const principal = userPrincipal(nodePrincipal(nodeId));
    await this.#acls.deleteAcls([{ principal, permission: AclPermission.Allow }]);
    const topics = nodeTopics(nodeId);
    await this.#topics.deleteTopics([topics.jobs, topics.results, topics.heartbeats]);
    this.#logger.log(`kafka: removed topics and grants of node ${nodeId}`);
  }

  /** The node principal's ACL entries, for operators and checks. */
  async describe(nodeId: NodeId): Promise<AclBinding[]> {
    return this.#acls.describeAcls({ principal: userPrincipal(nodePrincipal(nodeId)) });
  }
}

/**
 * A node reads its jobs topic (in its own consumer group) and writes its results and heartbeats
 * topics. Kafka 3+ lets an idempotent producer start with WRITE on any topic (KIP-679), so no
 * cluster permission is granted.
 */
export function nodeAcls(nodeId: NodeId): AclBinding[] {
  const principal = userPrincipal(nodePrincipal(nodeId));
  const topics = nodeTopics(nodeId);
  const allow = (
    resourceType: AclResourceType,
    resourceName: string,
    operation: AclOperation,
  ): AclBinding => ({
    resourceType,
    resourceName,
    patternType: AclPatternType.Literal,
    principal,
    host: ANY_HOST,
    operation,
    permission: AclPermission.Allow,
  });
  return [
    allow(AclResourceType.Topic, topics.jobs, AclOperation.Read),
    allow(AclResourceType.Topic, topics.jobs, AclOperation.Describe),
    allow(AclResourceType.Group, nodePrincipal(nodeId), AclOperation.Read),
    allow(AclResourceType.Topic, topics.results, AclOperation.Write),
    allow(AclResourceType.Topic, topics.results, AclOperation.Describe),
    allow(AclResourceType.Topic, topics.heartbeats, AclOperation.Write),
    allow(AclResourceType.Topic, topics.heartbeats, AclOperation.Describe),
  ];
}

export function denyAcls(nodeId: NodeId): AclBinding[] {
  const principal = userPrincipal(nodePrincipal(nodeId));
  const deny = (resourceType: AclResourceType, resourceName: string): AclBinding => ({
    resourceType,
    resourceName,
    patternType: AclPatternType.Literal,
    principal,
    host: ANY_HOST,
    operation: AclOperation.All,
    permission: AclPermission.Deny,
  });
  return [
    deny(AclResourceType.Topic, WILDCARD),
    deny(AclResourceType.Group, WILDCARD),
    deny(AclResourceType.TransactionalId, WILDCARD),
    deny(AclResourceType.Cluster, 'kafka-cluster'),
  ];
}
