// The node id is the one name a GPU node has everywhere: its Kafka topics (jobs.<id>...), its
// certificate and its Kafka principal. One rule, defined here, keeps those three in step.
import { z } from 'zod';
import { ErrorCode } from './error-codes.ts';
import { ContractError, quote } from './errors.ts';

/**
 * Lower-case letters, digits and hyphens, starting with a letter or digit, at most 55
 * characters: a DNS label, so the same id is valid in a certificate name and a topic name, and
 * short enough that the longest principal (`operator-<name>`) fits X.509's 64-character CN limit.
 */
export const NODE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,54}$/;

/** Kafka principals are `node-<id>`; the prefix keeps node principals apart from services. */
export const NODE_PRINCIPAL_PREFIX = 'node-';

export const NodeIdSchema = z
  .string()
  .regex(NODE_ID_PATTERN, 'must be 1-55 lower-case letters, digits or hyphens, not starting with a hyphen');

export type NodeId = z.infer<typeof NodeIdSchema>;

export function isNodeId(value: unknown): value is NodeId {
  return typeof value === 'string' && NODE_ID_PATTERN.test(value);
}

/** Throws a ContractError naming the rule, so a typo in a CLI argument is caught at the door. */
export function assertNodeId(value: string): NodeId {
  if (!isNodeId(value)) {
    throw new ContractError(
      ErrorCode.VALIDATION_FAILED,
      `Invalid node id ${quote(value)}: use 1-55 lower-case letters, digits or hyphens, not starting with a hyphen.`,
      [{ path: 'nodeId', message: 'does not match ' + String(NODE_ID_PATTERN) }],
    );
  }
  return value;
}

/** The Kafka principal (after the broker's principal mapping rule) of a node: `node-<id>`. */
export function nodePrincipal(nodeId: NodeId): string {
  return NODE_PRINCIPAL_PREFIX + assertNodeId(nodeId);
}

/** The node id behind a principal, or null when the principal is not a node's. */
export function nodeIdFromPrincipal(principal: string): NodeId | null {
  const name = principal.startsWith('User:') ? principal.slice('User:'.length) : principal;
  if (!name.startsWith(NODE_PRINCIPAL_PREFIX)) return null;
  const id = name.slice(NODE_PRINCIPAL_PREFIX.length);
  return isNodeId(id) ? id : null;
}
