// Tenants in SQLite. Creating and finding tenants is an operator's act (admin CLI), never a
// tenant user's.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/sqlite';
import { Tenant, type TenantRow } from '../database/entities/tenant.entity.ts';

@Injectable()
export class TenantsRepository {
  constructor(private readonly em: EntityManager) {}

  async create(id: string, name: string, createdAt: Date): Promise<TenantRow> {
    const row = this.em.create(Tenant, { id, name, createdAt, schedulerWeight: 1, schedulerLastServed: 0 });
    await this.em.flush();
    return row;
  }

  /** By id or by exact name: the CLI accepts either. */
  findByIdOrName(idOrName: string): Promise<TenantRow | null> {
    return this.em.findOne(Tenant, { $or: [{ id: idOrName }, { name: idOrName }] });
  }
}
