// What the control plane's features need from Kafka, behind one seam: send a node a message
// (through the outbox, in the caller's transaction), provision a new node's topics and ACLs,
// deny a revoked one. With no broker configured (unit tests of the HTTP layer, a box being set
// up), outbox rows still commit and wait for a relay, while provisioning refuses with 503.
import { ContractError, ErrorCode, nodeTopics, type NodeId } from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import {
  isMessagingError,
  MessagingErrorCode,
  type NodeTopicsProvisioner,
  type OutboundEnvelope,
  type OutboxService,
} from '../messaging/index.ts';

export interface NodeKafkaAccess {
  readonly bootstrap: string;
  readonly topics: { readonly jobs: string; readonly results: string; readonly heartbeats: string };
}

export abstract class KafkaLink {
  /** A broker is configured: nodes can be provisioned and the relay publishes. */
  abstract readonly connected: boolean;
  /** Adds a message for a node to the outbox within `em`'s transaction. */
  abstract enqueue(em: EntityManager, envelope: OutboundEnvelope): void;
  abstract provision(nodeId: NodeId): Promise<void>;
  /** false when there is no broker to deny the node on. */
  abstract deny(nodeId: NodeId): Promise<boolean>;
  abstract accessFor(nodeId: NodeId): NodeKafkaAccess;
}

function unavailable(what: string, cause?: unknown): ContractError {
  return new ContractError(ErrorCode.UNAVAILABLE, `${what}; retry later.`, [], { cause });
}

export class BrokerKafkaLink extends KafkaLink {
  readonly connected = true;

  constructor(
    private readonly outbox: OutboxService,
    private readonly provisioner: NodeTopicsProvisioner,
    private readonly nodeBootstrap: string,
  ) {
    super();
  }

  enqueue(em: EntityManager, envelope: OutboundEnvelope): void {
    this.outbox.enqueue(em, envelope);
  }

  async provision(nodeId: NodeId): Promise<void> {
    try {
      await this.provisioner.provision(nodeId);
    } catch (error) {
      if (isMessagingError(error) && error.code === MessagingErrorCode.NODE_DENIED) {
        throw new ContractError(
          ErrorCode.CONFLICT,
          `Node ${nodeId} was revoked and stays denied in Kafka; enroll the machine under a new node id.`,
        );
      }
      throw unavailable('Kafka could not set up the node’s topics', error);
    }
  }

  async deny(nodeId: NodeId): Promise<boolean> {
    try {
      await this.provisioner.deny(nodeId);
      return true;
    } catch (error) {
      throw unavailable(
        `The node is revoked, but Kafka could not be told to deny it; repeat the revocation`,
        error,
      );
    }
  }

  accessFor(nodeId: NodeId): NodeKafkaAccess {
    const topics = nodeTopics(nodeId);
    return {
      bootstrap: this.nodeBootstrap,
      topics: { jobs: topics.jobs, results: topics.results, heartbeats: topics.heartbeats },
    };
  }
}

export class OfflineKafkaLink extends KafkaLink {
  readonly connected = false;

  constructor(private readonly outbox: OutboxService) {
    super();
  }

  enqueue(em: EntityManager, envelope: OutboundEnvelope): void {
    this.outbox.enqueue(em, envelope);
  }

  provision(): Promise<void> {
    return Promise.reject(
      unavailable('No Kafka broker is configured (ENCLAVE_KAFKA_*), so nodes cannot enroll'),
    );
  }

  deny(): Promise<boolean> {
    return Promise.resolve(false);
  }

  accessFor(): NodeKafkaAccess {
    throw unavailable('No Kafka broker is configured');
  }
}
