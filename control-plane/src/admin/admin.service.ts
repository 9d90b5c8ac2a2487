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
import { z } from 'zod';
import { AuditTrail, SYSTEM_ACTOR } from '../audit/audit-trail.service.ts';
import { PasswordHasher } from '../auth/password-hasher.ts';
import { UsersRepository } from '../auth/users.repository.ts';
import { Clock } from '../common/clock.ts';
import { Randomness } from '../common/randomness.ts';
import { tenantScope } from '../database/tenant-scope.ts';
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
    const user = await this.users.create(tenantScope(tenant.id), {
      id: this.random.id(),
      email,
      displayName: validate(DisplayNameSchema, account.displayName, 'display name'),
      role: account.role,
      passwordHash: await this.hasher.hash(account.password),
      createdAt: this.clock.now(),
      adultAttestedAt: account.adultAttested === true ? this.clock.now() : null,
    });
    await this.audit.record({
      actor: SYSTEM_ACTOR,
      tenantId: tenant.id,
      action: AuditAction.UserCreated,
      targets: [user.id],
      details: { role: user.role },
    });
    return { userId: user.id, tenantId: tenant.id, email: user.email, role: user.role };
  }
}
