// Sessions in SQLite, keyed by the hash of the cookie value.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/sqlite';
import { Session, type SessionRow } from '../database/entities/session.entity.ts';

export interface NewSession {
  readonly id: string;
  readonly userId: string;
  readonly tenantId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly em: EntityManager) {}

  async create(session: NewSession): Promise<void> {
    this.em.create(Session, {
      id: session.id,
      user: session.userId,
      tenant: session.tenantId,
      createdAt: session.createdAt,
      lastSeenAt: session.createdAt,
      expiresAt: session.expiresAt,
    });
    await this.em.flush();
  }

  find(id: string): Promise<SessionRow | null> {
    return this.em.findOne(Session, { id }, { populate: ['user'] });
  }

  async touch(session: SessionRow, at: Date): Promise<void> {
    session.lastSeenAt = at;
    await this.em.flush();
  }

  async delete(id: string): Promise<void> {
    await this.em.nativeDelete(Session, { id });
  }

  async deleteAllOf(userId: string): Promise<number> {
    return this.em.nativeDelete(Session, { user: userId });
  }

  /** Housekeeping: sessions past their absolute end, or not seen since `idleSince`. */
  async deleteEnded(now: Date, idleSince: Date): Promise<number> {
    return this.em.nativeDelete(Session, {
      $or: [{ expiresAt: { $lte: now } }, { lastSeenAt: { $lte: idleSince } }],
    });
  }
}
