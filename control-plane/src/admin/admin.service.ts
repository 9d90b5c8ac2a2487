// Operator actions that exist before anyone can sign in: creating tenants and accounts. Used by
// the admin CLI (`make up` seeds a demo tenant with it) and by tests.
import {
  AuditAction,
  ContractError,
  EmailSchema,
  ErrorCode,
  NewPasswordSchema,
  validate,
  Role,
} from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import { AuditTrail, SYSTEM_ACTOR } from '../audit/audit-trail.service.ts';
import { PasswordHasher } from '../auth/password-hasher.ts';
import { UsersRepository } from '../auth/users.repository.ts';
import { Clock } from '../common/clock.ts';
import { Randomness } from '../common/randomness.ts';
import { tenantScope } from '../database/tenant-scope.ts';
import { PersonalDataSealer } from '../keys/personal-data.sealer.ts';
import { TenantsRepository } from './tenants.repository.ts';

export interface NewAccount {
  /** The tenant's id or name. */
  readonly tenant: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly password: string;
  /** The holder attested being 18 or older (privacy policy §11); required for a client-user. */
  readonly adultAttested?: boolean;
}

const TenantNameSchema = z.string().trim().min(1).max(200);
const DisplayNameSchema = z.string().trim().min(1).max(200);

@Injectable()
export class AdminService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly audit: AuditTrail,
    private readonly people: PersonalDataSealer,
  ) {}

  async createTenant(name: string): Promise<{ tenantId: string; name: string }> {
    const clean = validate(TenantNameSchema, name, 'tenant name');
    if (await this.tenants.findByIdOrName(clean)) {
      throw new ContractError(ErrorCode.CONFLICT, `A tenant named ${JSON.stringify(clean)} already exists.`);
    }
    const row = await this.tenants.create(this.random.id(), clean, this.clock.now());
    await this.audit.record({
      actor: SYSTEM_ACTOR,
      tenantId: row.id,
      action: AuditAction.TenantCreated,
      targets: [row.id],
      details: { name: clean },
    });
    return { tenantId: row.id, name: row.name };
  }

  async createUser(
    account: NewAccount,
  ): Promise<{ userId: string; tenantId: string; email: string; role: Role }> {
    const tenant = await this.tenants.findByIdOrName(account.tenant);
    if (!tenant) throw new ContractError(ErrorCode.NOT_FOUND, `No tenant ${JSON.stringify(account.tenant)}.`);
    const email = validate(EmailSchema, account.email, 'email');
    validate(NewPasswordSchema, account.password, 'password');
    if (account.role === Role.ClientUser && account.adultAttested !== true) {
      throw new ContractError(
        ErrorCode.VALIDATION_FAILED,
        'A client user must attest being 18 or older (privacy policy §11: the service is for adults only); confirm the attestation (--adult-attested) and create the account again.',
        [{ path: 'adultAttested', message: 'required for a client-user' }],
      );
    }
    const displayName = validate(DisplayNameSchema, account.displayName, 'display name');
    // Sign-in is by email alone, so an email names one account across all tenants.
    if (await this.users.emailTaken(await this.people.emailIndex(email))) throw emailTaken();
    const id = this.random.id();
    const passwordHash = await this.hasher.hash(account.password);
    const sealed = await this.people.sealNew(tenant.id, id, { email, displayName });
    let user;
    try {
      user = await this.users.create(tenantScope(tenant.id), {
        id,
        ...sealed,
        role: account.role,
        passwordHash,
        createdAt: this.clock.now(),
        adultAttestedAt: account.adultAttested === true ? this.clock.now() : null,
      });
    } catch (error) {
      // Two creations with one email racing: the blind index's unique constraint decides.
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
    await this.audit.record({
      actor: SYSTEM_ACTOR,
      tenantId: tenant.id,
      action: AuditAction.UserCreated,
      targets: [user.id],
      details: { role: user.role },
    });
    return { userId: user.id, tenantId: tenant.id, email, role: user.role };
  }
}

function emailTaken(): ContractError {
  return new ContractError(
    ErrorCode.CONFLICT,
    'An account with this email already exists; sign in with it, or use another email address.',
  );
}
