// Signing in with email and password. Every failure path costs the same scrypt time and says
// the same thing ("email or password is wrong"), so replies do not reveal which accounts
// exist. Repeated failures lock the account with a doubling back-off (lockout-policy.ts); a
// successful sign-in always starts a brand-new session and ends the one the browser presented.
import { AuditAction, type LoginReply } from '@enclave/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail, SYSTEM_ACTOR, userActor } from '../audit/audit-trail.service.ts';
import { anonymiseAddress } from '../common/client-address.ts';
import { Clock } from '../common/clock.ts';
import { forbidden, RateLimitedError, unauthenticated } from '../common/errors.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { PersonalDataSealer } from '../keys/personal-data.sealer.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { currentUser, userCaller } from './current-user.ts';
import { lockoutSeconds, type LockoutPolicy } from './lockout-policy.ts';
import { LoginRateLimiter } from './login-rate-limiter.ts';
import { PasswordHasher } from './password-hasher.ts';
import { SessionService, type IssuedSession } from './session.service.ts';
import { UsersRepository } from './users.repository.ts';

export interface SignInAttempt {
  readonly email: string;
  readonly password: string;
  readonly clientAddress: string;
  /** The session cookie the browser already had, if any: it is ended, never reused. */
  readonly presentedCookie: string | undefined;
}

export interface SignedIn {
  readonly reply: LoginReply;
  readonly session: IssuedSession;
}

const WRONG = 'The email or password is wrong.';

@Injectable()
export class LoginService {
  readonly #policy: LockoutPolicy;

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly limiter: LoginRateLimiter,
    private readonly clock: Clock,
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
    private readonly audit: AuditTrail,
    private readonly people: PersonalDataSealer,
  ) {
    this.#policy = {
      threshold: config.ENCLAVE_LOGIN_LOCKOUT_THRESHOLD,
      baseSeconds: config.ENCLAVE_LOGIN_LOCKOUT_BASE_SECONDS,
      maxSeconds: config.ENCLAVE_LOGIN_LOCKOUT_MAX_SECONDS,
    };
  }

  async signIn(attempt: SignInAttempt): Promise<SignedIn> {
    this.limiter.take(attempt.clientAddress);
    // Found by the email's blind index: the stored email is sealed under a key we cannot pick yet.
    const user = await this.users.findForSignIn(await this.people.emailIndex(attempt.email));
    if (user === null) {
      await this.hasher.verifyAgainstNothing(attempt.password);
      await this.#failed(attempt, null, null, 'unknown-account');
      throw unauthenticated(WRONG);
    }
    const now = this.clock.now();
    if (user.lockedUntil != null && user.lockedUntil.getTime() > now.getTime()) {
      await this.#failed(attempt, user.id, user.tenant.id, 'locked');
      throw locked(user.lockedUntil, now);
    }
    if (!(await this.hasher.verify(attempt.password, user.passwordHash))) {
      const failures = await this.users.countFailure(user.id);
      const seconds = lockoutSeconds(failures, this.#policy);
      this.log.write('warn', 'Sign-in failed', { userId: user.id, failures, lockedForSeconds: seconds });
      await this.#failed(attempt, user.id, user.tenant.id, 'wrong-password');
      if (seconds === 0) throw unauthenticated(WRONG);
      const until = new Date(now.getTime() + seconds * 1000);
      await this.users.lockUntil(user.id, until);
      throw locked(until, now);
    }
    if (user.closedAt != null) {
      await this.#failed(attempt, user.id, user.tenant.id, 'closed');
      throw forbidden('This account is closed; ask your administrator or the DPO if it should be reopened.');
    }
    if (user.disabled) {
      await this.#failed(attempt, user.id, user.tenant.id, 'disabled');
      throw forbidden('This account is disabled; ask your IT administrator.');
    }
    if (user.failedLogins > 0 || user.lockedUntil != null) await this.users.recordSuccess(user);
    if (attempt.presentedCookie !== undefined) await this.sessions.endByCookie(attempt.presentedCookie);
    const session = await this.sessions.start(user);
    await this.audit.record({
      actor: userActor(user.id),
      tenantId: user.tenant.id,
      action: AuditAction.SignIn,
      targets: [user.id],
    });
    this.log.write('info', 'Signed in', { userId: user.id, tenantId: user.tenant.id });
    return {
      session,
      reply: {
        ...currentUser(userCaller(user, 'session', ''), await this.people.view(user)),
        sessionExpiresAt: session.expiresAt.toISOString(),
      },
    };
  }

  /**
   * A refused sign-in, audited without the email in clear: it goes only into sealed details. The
   * client address is stored anonymised (its /24 or /48 network): analytics are kept only
   * anonymised; the rate limiter keeps the full address, in memory only.
   */
  #failed(attempt: SignInAttempt, userId: string | null, tenantId: string | null, why: string) {
    return this.audit.record({
      actor: userId === null ? SYSTEM_ACTOR : userActor(userId),
      tenantId,
      action: AuditAction.SignInFailed,
      targets: userId === null ? [] : [userId],
      details: { why, email: attempt.email, clientNetwork: anonymiseAddress(attempt.clientAddress) },
      ...(userId === null ? {} : { subjectId: userId }),
    });
  }
}

function locked(until: Date, now: Date): RateLimitedError {
  const seconds = (until.getTime() - now.getTime()) / 1000;
  return new RateLimitedError(
    `Too many failed sign-ins: this account is locked until ${until.toISOString()}. Try again in ${Math.ceil(seconds)} seconds.`,
    seconds,
  );
}
