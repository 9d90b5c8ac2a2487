import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.ts';
import { AdminService } from './admin.service.ts';
import { TenantsRepository } from './tenants.repository.ts';

/** Operator actions (tenants, accounts); no routes yet, used by the admin CLI and tests. */
@Module({ imports: [AuthModule], providers: [TenantsRepository, AdminService], exports: [AdminService] })
export class AdminModule {}
