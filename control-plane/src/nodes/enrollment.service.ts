// Enrollment: the IT operator makes a single-use token for a new node id; the node trades it,
// with a CSR for its own key, for a certificate naming that id (from the token record, never
// from the CSR), its Kafka topics and ACLs, and its place in the scheduler. The token is checked
// before Kafka is touched and consumed only when the certificate is issued, so a failure on the
// way (broker down) leaves it usable for a retry.
import {
  CertificateAuthority,
  hashTokenSecret,
  parseEnrollmentToken,
  verifyCaPin,
  type EnrollmentRecord,
} from '@enclave/certs';
import {
  ContractError,
  ErrorCode,
  type CreateEnrollmentTokenRequest,
  type EnrollReply,
  type EnrollRequest,
  type EnrollmentTokenDto,
} from '@enclave/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import type { UserCaller } from '../auth/caller.ts';
import { SqliteEnrollmentTokenStore } from '../ca/sqlite-enrollment-token.store.ts';
import { AddressRateWindow } from '../common/address-rate-window.ts';
import { Clock } from '../common/clock.ts';
import { conflict } from '../common/errors.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { KafkaLink } from '../kafka-link/kafka-link.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { fromCertsError } from './certs-errors.ts';
import { NodesService } from './nodes.service.ts';

@Injectable()
export class EnrollmentService {
  readonly #attempts: AddressRateWindow;
  readonly #tokens: SqliteEnrollmentTokenStore;

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly nodes: NodesService,
    private readonly kafka: KafkaLink,
    private readonly clock: Clock,
    private readonly log: AppLogger,
    orm: MikroORM,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
  ) {
    this.#attempts = new AddressRateWindow(config.ENCLAVE_ENROLL_RATE_PER_MINUTE, 'enrollment attempts');
    this.#tokens = new SqliteEnrollmentTokenStore(orm);
  }

  async createToken(caller: UserCaller, request: CreateEnrollmentTokenRequest): Promise<EnrollmentTokenDto> {
    if (await this.nodes.exists(request.nodeId)) {
      throw conflict(`Node ${request.nodeId} is already enrolled; a machine enrolls again under a new id.`);
    }
    const created = await this.ca.createEnrollmentToken({
      name: request.nodeId,
      profile: 'node',
      ...(request.ttlHours !== undefined ? { ttlHours: request.ttlHours } : {}),
      actor: `user:${caller.userId}`,
    });
    this.log.write('info', 'Enrollment token created', { nodeId: created.name, userId: caller.userId });
    return { token: created.token, nodeId: created.name, expiresAt: created.expiresAt.toISOString() };
  }

  async enroll(request: EnrollRequest, clientAddress: string): Promise<EnrollReply> {
    this.#attempts.take(clientAddress, this.clock.now().getTime());
    const record = await this.#redeemable(request.token);
    const nodeId = record.name;
    if (await this.nodes.exists(nodeId)) {
      throw conflict(`Node ${nodeId} is already enrolled; a machine enrolls again under a new id.`);
    }
    await this.kafka.provision(nodeId);
    let issued;
    try {
      issued = await this.ca.issueFromCsr({ csrPem: request.csrPem, token: request.token });
    } catch (error) {
      throw fromCertsError(error, 'body.csrPem');
    }
    await this.nodes.register({ nodeId, capabilities: request.capabilities, certificate: issued });
    this.log.write('info', 'Node enrolled', { nodeId, serial: issued.serial });
    return {
      nodeId,
      certificatePem: issued.certPem,
      chainPem: issued.chainPem,
      caPem: issued.caPem,
      certificateNotAfter: issued.notAfter.toISOString(),
      kafka: this.kafka.accessFor(nodeId),
    };
  }

  /** The checks issueFromCsr makes again, done first so nothing is provisioned for a bad token. */
  async #redeemable(text: string): Promise<EnrollmentRecord> {
    const refused = () => new ContractError(ErrorCode.UNAUTHENTICATED, 'Unknown enrollment token.');
    let token;
    try {
      token = parseEnrollmentToken(text);
    } catch {
      throw refused();
    }
    if (!verifyCaPin(token, this.ca.rootCertPem)) {
      throw new ContractError(ErrorCode.UNAUTHENTICATED, 'This enrollment token was made for another CA.');
    }
    const record = await this.#tokens.find(hashTokenSecret(token.secret));
    if (record === undefined) throw refused();
    if (record.name !== token.name) {
      throw new ContractError(ErrorCode.FORBIDDEN, `This enrollment token is bound to node ${record.name}.`);
    }
    if (record.profile !== 'node') {
      throw new ContractError(ErrorCode.FORBIDDEN, 'This token does not enroll a node.');
    }
    if (record.usedAt !== undefined) {
      throw conflict('This enrollment token was already used; ask the operator for a new one.');
    }
    if (this.clock.now().getTime() >= Date.parse(record.expiresAt)) {
      throw new ContractError(
        ErrorCode.GONE,
        'This enrollment token has expired; ask the operator for a new one.',
      );
    }
    return record;
  }
}
