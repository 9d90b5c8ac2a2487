// Browser sessions: a fresh random id at every sign-in (never one the client chose), an idle
// limit checked against the last request and an absolute limit from sign-in.
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.ts';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import type { SessionRow } from '../database/entities/session.entity.ts';
import type { UserRow } from '../database/entities/user.entity.ts';
import { secretHash } from './secret-hash.ts';
import { SessionsRepository } from './sessions.repository.ts';

export interface IssuedSession {
  /** The cookie value: 256 random bits, base64url. Never stored, never logged. */
  readonly cookieValue: string;
  readonly expiresAt: Date;
  readonly maxAgeSeconds: number;
}

/** lastSeenAt is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class SessionService {
  readonly #idleMs: number;
  readonly #absoluteMs: number;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly clock: Clock,
    private readonly random: Randomness,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
  ) {
    this.#idleMs = config.ENCLAVE_SESSION_IDLE_MINUTES * 60_000;
    this.#absoluteMs = config.ENCLAVE_SESSION_ABSOLUTE_HOURS * 3_600_000;
  }

  async start(user: UserRow): Promise<IssuedSession> {
    const cookieValue = this.random.bytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.#absoluteMs);
    await this.sessions.create({
      id: secretHash(cookieValue),
      userId: user.id,
      tenantId: user.tenant.id,
      createdAt: now,
      expiresAt,
    });
    return { cookieValue, expiresAt, maxAgeSeconds: this.#absoluteMs / 1000 };
  }

  /** The live session behind a cookie value, or null; an expired one is deleted on sight. */
  async resolve(cookieValue: string): Promise<SessionRow | null> {
    const session = await this.sessions.find(secretHash(cookieValue));
    if (session === null) return null;
    const now = this.clock.now().getTime();
    const idle = now - session.lastSeenAt.getTime() >= this.#idleMs;
    if (idle || now >= session.expiresAt.getTime()) {
      await this.sessions.delete(session.id);
      return null;
    }
    if (now - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS)
      await this.sessions.touch(session, new Date(now));
    return session;
  }

  /** Ends the session a cookie value names, if there is one (used at sign-in to rotate). */
  async endByCookie(cookieValue: string): Promise<void> {
    await this.sessions.delete(secretHash(cookieValue));
  }

  async end(sessionId: string): Promise<void> {
    await this.sessions.delete(sessionId);
  }

  async endAllOf(userId: string): Promise<number> {
    return this.sessions.deleteAllOf(userId);
  }
}
