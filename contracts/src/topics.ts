// Every node has three topics of its own. The topic authenticates the sender: a node may read
// only jobs.<itself> and write only results.<itself> and heartbeats.<itself> (Kafka ACLs on its
// principal), so the node id in a topic name is the one thing a consumer can trust.
import { ErrorCode } from './error-codes.ts';
import { ContractError, quote } from './errors.ts';
import { assertNodeId, isNodeId, type NodeId } from './node-id.ts';

export const TopicKind = {
  /** control plane → node: assignments, cancels, erase orders. */
  Jobs: 'jobs',
  /** node → control plane: accepted, progress, succeeded, failed, erase receipts. */
  Results: 'results',
  /** node → control plane: telemetry and lease renewals. */
  Heartbeats: 'heartbeats',
} as const;

export type TopicKind = (typeof TopicKind)[keyof typeof TopicKind];

export const TOPIC_KINDS = Object.values(TopicKind) as readonly TopicKind[];

export const TOPIC_PREFIX = {
  jobs: 'jobs.',
  results: 'results.',
  heartbeats: 'heartbeats.',
} as const satisfies Record<TopicKind, string>;

/**
 * Subscription patterns for the control plane's consumers (librdkafka treats a topic starting
 * with `^` as a regex). Deliberately loose; a record from a topic that parseTopic rejects is
 * dropped, so a badly named topic cannot smuggle messages in.
 */
export const TOPIC_SUBSCRIPTION_PATTERN = {
  jobs: '^jobs\\..+',
  results: '^results\\..+',
  heartbeats: '^heartbeats\\..+',
} as const satisfies Record<TopicKind, string>;

export interface ParsedTopic {
  readonly kind: TopicKind;
  readonly nodeId: NodeId;
}

export function topicName(kind: TopicKind, nodeId: NodeId): string {
  return TOPIC_PREFIX[kind] + assertNodeId(nodeId);
}

export function jobsTopic(nodeId: NodeId): string {
  return topicName(TopicKind.Jobs, nodeId);
}

export function resultsTopic(nodeId: NodeId): string {
  return topicName(TopicKind.Results, nodeId);
}

export function heartbeatsTopic(nodeId: NodeId): string {
  return topicName(TopicKind.Heartbeats, nodeId);
}

/** All topics of one node, for creating them and their ACLs at enrollment. */
export function nodeTopics(nodeId: NodeId): Record<TopicKind, string> {
  return { jobs: jobsTopic(nodeId), results: resultsTopic(nodeId), heartbeats: heartbeatsTopic(nodeId) };
}

export function tryParseTopic(name: string): ParsedTopic | null {
  const dot = name.indexOf('.');
  if (dot < 0) return null;
  const kind = TOPIC_KINDS.find((k) => k === name.slice(0, dot));
  const nodeId = name.slice(dot + 1);
  return kind !== undefined && isNodeId(nodeId) ? { kind, nodeId } : null;
}

/** `results.gpu-07` → `{ kind: 'results', nodeId: 'gpu-07' }`; anything else is a ContractError. */
export function parseTopic(name: string): ParsedTopic {
  const parsed = tryParseTopic(name);
  if (parsed === null) {
    throw new ContractError(
      ErrorCode.VALIDATION_FAILED,
      `Not an Enclave node topic: ${quote(name)}. Expected jobs.<node>, results.<node> or heartbeats.<node>` +
        ' with a node id of 1-63 lower-case letters, digits or hyphens.',
      [{ path: 'topic', message: 'is not <jobs|results|heartbeats>.<node id>' }],
    );
  }
  return parsed;
}
