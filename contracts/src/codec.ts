// Bytes ↔ envelopes. Nothing from Kafka reaches application code without passing decode, and
// nothing is produced without passing encode: both validate against the same schemas.
import { ErrorCode } from './error-codes.ts';
import { ContractError, quote } from './errors.ts';
import { ENVELOPE_SCHEMAS, SUPPORTED_VERSIONS, type Envelope, type EnvelopeOn } from './envelope.ts';
import { isMessageType, messageTypesOn, topicKindOf, type MessageType } from './message-types.ts';
import type { NodeId } from './node-id.ts';
import { parseTopic, TOPIC_PREFIX, type TopicKind } from './topics.ts';
import { check, summarizeIssues } from './validation.ts';

/**
 * Largest encoded message. Bodies carry references and small sealed fields only; anything near
 * this size is a bug or an attack, and it is refused before JSON.parse spends time on it.
 */
export const MAX_ENCODED_BYTES = 256 * 1024;

export interface DecodeOptions<K extends TopicKind = TopicKind> {
  /** The kind of topic the bytes came from; a type that may not travel there is refused. */
  readonly expectedTopicKind?: K;
  /** The node of the topic the bytes came from; an envelope naming another node is refused. */
  readonly expectedNodeId?: NodeId;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Validate and serialise. Only fields the schema knows are written. */
export function encodeEnvelope(message: Envelope): Buffer {
  const raw: unknown = message;
  const type = (raw as { type?: unknown } | null)?.type;
  if (!isMessageType(type)) {
    throw new ContractError(
      ErrorCode.UNKNOWN_MESSAGE_TYPE,
      `Refusing to send a message of unknown type ${typeof type === 'string' ? quote(type) : String(type)}.`,
      [{ path: 'type', message: 'is not a known message type' }],
    );
  }
  const result = check(ENVELOPE_SCHEMAS[type], raw);
  if (!result.success) {
    throw new ContractError(
      ErrorCode.VALIDATION_FAILED,
      `Refusing to send an invalid ${type} message: ${summarizeIssues(result.issues)}`,
      result.issues,
    );
  }
  const bytes = Buffer.from(JSON.stringify(result.data), 'utf8');
  if (bytes.length > MAX_ENCODED_BYTES) {
    throw new ContractError(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `Refusing to send a ${type} message of ${bytes.length} bytes; the limit is ${MAX_ENCODED_BYTES}.` +
        ' Send large content as an asset and reference it.',
    );
  }
  return bytes;
}

/**
 * Parse and validate bytes from Kafka. Throws only ContractError: MALFORMED_PAYLOAD,
 * PAYLOAD_TOO_LARGE, VALIDATION_FAILED, UNSUPPORTED_VERSION, UNKNOWN_MESSAGE_TYPE,
 * TOPIC_MISMATCH or NODE_MISMATCH.
 */
export function decodeEnvelope<K extends TopicKind = TopicKind>(
  bytes: Uint8Array | null | undefined,
  options: DecodeOptions<K> = {},
): EnvelopeOn<K> {
  const value = parseJson(bytes);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw rejected(ErrorCode.VALIDATION_FAILED, 'the message is not a JSON object', [
      { path: '', message: 'must be a JSON object' },
    ]);
  }
  const fields = value as Record<string, unknown>;
  const type = checkVersionAndType(fields);

  const { expectedTopicKind, expectedNodeId } = options;
  if (expectedTopicKind !== undefined && topicKindOf(type) !== expectedTopicKind) {
    throw rejected(
      ErrorCode.TOPIC_MISMATCH,
      `${type} may not travel on ${TOPIC_PREFIX[expectedTopicKind]}<node> (it belongs on ` +
        `${TOPIC_PREFIX[topicKindOf(type)]}<node>; allowed here: ${messageTypesOn(expectedTopicKind).join(', ')})`,
      [{ path: 'type', message: `not allowed on ${expectedTopicKind} topics` }],
    );
  }

  const result = check(ENVELOPE_SCHEMAS[type], fields);
  if (!result.success) {
    throw rejected(
      ErrorCode.VALIDATION_FAILED,
      `invalid ${type}: ${summarizeIssues(result.issues)}`,
      result.issues,
    );
  }
  const envelope = result.data;

  if (expectedNodeId !== undefined && envelope.nodeId !== expectedNodeId) {
    throw rejected(
      ErrorCode.NODE_MISMATCH,
      `the envelope names node ${quote(envelope.nodeId)} but came from node ${quote(expectedNodeId)}'s topic;` +
        ' a node may only speak for itself',
      [{ path: 'nodeId', message: `must be ${quote(expectedNodeId)}, the node of the topic` }],
    );
  }
  return envelope as EnvelopeOn<K>;
}

/** Decode a record as it comes off Kafka: the topic name supplies the expected kind and node. */
export function decodeFromTopic(topic: string, bytes: Uint8Array | null | undefined): Envelope {
  const { kind, nodeId } = parseTopic(topic);
  return decodeEnvelope(bytes, { expectedTopicKind: kind, expectedNodeId: nodeId });
}

function parseJson(bytes: Uint8Array | null | undefined): unknown {
  if (bytes === null || bytes === undefined || bytes.length === 0) {
    throw rejected(ErrorCode.MALFORMED_PAYLOAD, 'the record has no value (empty message or tombstone)');
  }
  if (bytes.length > MAX_ENCODED_BYTES) {
    throw rejected(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `${bytes.length} bytes is over the ${MAX_ENCODED_BYTES}-byte limit; it was not parsed`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw rejected(ErrorCode.MALFORMED_PAYLOAD, 'the bytes are not valid UTF-8', [], cause);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    // The parser's own message quotes the input, which may be client content: not repeated.
    throw rejected(ErrorCode.MALFORMED_PAYLOAD, 'the bytes are not valid JSON', [], cause);
  }
}

/** The version decides which types exist, so it is checked first; then the type picks the schema. */
function checkVersionAndType(fields: Record<string, unknown>): MessageType {
  const { v, type } = fields;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw rejected(ErrorCode.VALIDATION_FAILED, 'the schema version "v" is missing or not an integer', [
      { path: 'v', message: v === undefined ? 'required (expected integer)' : 'must be an integer' },
    ]);
  }
  if (!SUPPORTED_VERSIONS.includes(v)) {
    throw rejected(
      ErrorCode.UNSUPPORTED_VERSION,
      `schema version ${v} is not supported (this build reads ${SUPPORTED_VERSIONS.join(', ')}); ` +
        'upgrade the reader before its writers',
      [{ path: 'v', message: `must be one of ${SUPPORTED_VERSIONS.join(', ')}` }],
    );
  }
  if (typeof type !== 'string') {
    throw rejected(ErrorCode.VALIDATION_FAILED, 'the message "type" is missing or not a string', [
      { path: 'type', message: type === undefined ? 'required (expected string)' : 'must be a string' },
    ]);
  }
  if (!isMessageType(type)) {
    throw rejected(
      ErrorCode.UNKNOWN_MESSAGE_TYPE,
      `unknown message type ${quote(type)}; this build knows ${Object.keys(ENVELOPE_SCHEMAS).join(', ')}`,
      [{ path: 'type', message: 'is not a known message type' }],
    );
  }
  return type;
}

function rejected(
  code: ErrorCode,
  reason: string,
  issues: ContractError['issues'] = [],
  cause?: unknown,
): ContractError {
  return new ContractError(
    code,
    `Rejected Kafka message: ${reason}.`,
    issues,
    cause === undefined ? undefined : { cause },
  );
}
