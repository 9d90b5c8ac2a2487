// Node rows. Nodes belong to the appliance, not to a tenant: only it-admins reach these routes.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/sqlite';
import { Node, type NodeRow } from '../database/entities/node.entity.ts';

@Injectable()
export class NodesRepository {
  constructor(private readonly em: EntityManager) {}

  list(): Promise<NodeRow[]> {
    return this.em.find(Node, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** Read afresh: a scheduler command may have changed the row in its own transaction. */
  find(nodeId: string): Promise<NodeRow | null> {
    return this.em.findOne(Node, { id: nodeId }, { refresh: true });
  }

  async save(): Promise<void> {
    await this.em.flush();
  }
}
