// What a Kafka handler gets besides the message (`@Ctx()`): where the record came from and the
// EntityManager of the transaction that also records the message in the inbox.
import type { EntityManager } from '@mikro-orm/core';
import { BaseRpcContext } from '@nestjs/microservices';
import type { RecordPosition } from './inbound-handlers.ts';

export class RdkafkaContext extends BaseRpcContext<[RecordPosition, EntityManager]> {
  getPosition(): RecordPosition {
    return this.args[0];
  }

  /** Use this (not an injected EntityManager): its changes commit with the inbox row, or not at all. */
  getEntityManager(): EntityManager {
    return this.args[1];
  }
}
