// AclAdmin over the Kafka protocol: one short mTLS session per call (enrollment and revocation
// are rare; a fresh session also picks up a rotated certificate). The version spoken is the
// highest both sides support among the flexible ones this codec knows.
import { type AclAdmin, type AclBinding, type AclBindingFilter } from '../acl-admin.ts';
import { MessagingError, MessagingErrorCode } from '../messaging.errors.ts';
import {
  ApiKey,
  decodeApiVersionsResponse,
  decodeCreateAclsResponse,
  decodeDeleteAclsResponse,
  decodeDescribeAclsResponse,
  encodeApiVersionsRequest,
  encodeCreateAclsRequest,
  encodeDeleteAclsRequest,
  encodeDescribeAclsRequest,
  type ApiVersionRange,
} from './acl-codec.ts';
import { BrokerSession, type BrokerSessionOptions } from './broker-session.ts';
import { kafkaErrorName } from './kafka-error-names.ts';
import { ProtocolDecodeError, type ProtocolReader } from './protocol-reader.ts';

/** Flexible versions of the ACL APIs this codec speaks (2 and 3 share a layout). */
const SPOKEN: ApiVersionRange = { min: 2, max: 3 };
const API_VERSIONS_VERSION = 3;

export class ProtocolAclAdmin implements AclAdmin {
  readonly #options: BrokerSessionOptions;

  constructor(options: BrokerSessionOptions) {
    this.#options = options;
  }

  async createAcls(bindings: readonly AclBinding[]): Promise<void> {
    if (bindings.length === 0) return;
    const results = await this.#call(ApiKey.CreateAcls, encodeCreateAclsRequest(bindings), (r) =>
      decodeCreateAclsResponse(r),
    );
    const failed = results.filter((r) => r.errorCode !== 0);
    if (failed.length > 0 || results.length !== bindings.length) {
      throw requestFailed('CreateAcls', failed[0]?.errorCode ?? -1, failed[0]?.errorMessage ?? null);
    }
  }

  async describeAcls(filter: AclBindingFilter): Promise<AclBinding[]> {
    const result = await this.#call(ApiKey.DescribeAcls, encodeDescribeAclsRequest(filter), (r) =>
      decodeDescribeAclsResponse(r),
    );
    if (result.errorCode !== 0) throw requestFailed('DescribeAcls', result.errorCode, result.errorMessage);
    return result.bindings;
  }

  async deleteAcls(filters: readonly AclBindingFilter[]): Promise<AclBinding[]> {
    if (filters.length === 0) return [];
    const results = await this.#call(ApiKey.DeleteAcls, encodeDeleteAclsRequest(filters), (r) =>
      decodeDeleteAclsResponse(r),
    );
    const deleted: AclBinding[] = [];
    for (const result of results) {
      if (result.errorCode !== 0) throw requestFailed('DeleteAcls', result.errorCode, result.errorMessage);
      for (const match of result.matching) {
        if (match.errorCode !== 0) throw requestFailed('DeleteAcls', match.errorCode, match.errorMessage);
        deleted.push(match.binding);
      }
    }
    return deleted;
  }

  async #call<T>(apiKey: number, body: Buffer, decode: (reader: ProtocolReader) => T): Promise<T> {
    const session = await BrokerSession.open(this.#options);
    try {
      const version = await negotiate(session, apiKey);
      const reader = await session.request(apiKey, version, body);
      return decode(reader);
    } catch (error) {
      if (error instanceof ProtocolDecodeError) {
        throw new MessagingError(
          MessagingErrorCode.KAFKA_PROTOCOL_ERROR,
          `Kafka admin: undecodable answer to API ${apiKey}: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    } finally {
      session.close();
    }
  }
}

async function negotiate(session: BrokerSession, apiKey: number): Promise<number> {
  const reader = await session.request(
    ApiKey.ApiVersions,
    API_VERSIONS_VERSION,
    encodeApiVersionsRequest('enclave-control-plane', '1'),
    'v0',
  );
  const { errorCode, versions } = decodeApiVersionsResponse(reader);
  if (errorCode !== 0) throw requestFailed('ApiVersions', errorCode, null);
  const range = versions.get(apiKey);
  const version = range ? Math.min(range.max, SPOKEN.max) : -1;
  if (!range || version < Math.max(range.min, SPOKEN.min)) {
    throw new MessagingError(
      MessagingErrorCode.KAFKA_REQUEST_FAILED,
      `Kafka admin: the broker speaks API ${apiKey} versions ` +
        `${range ? `${range.min}-${range.max}` : 'none'}, this client ${SPOKEN.min}-${SPOKEN.max}`,
    );
  }
  return version;
}

function requestFailed(api: string, code: number, message: string | null): MessagingError {
  return new MessagingError(
    MessagingErrorCode.KAFKA_REQUEST_FAILED,
    `Kafka admin: ${api} failed with ${kafkaErrorName(code)}${message ? `: ${message}` : ''}`,
  );
}
