// Accounts, sessions, API tokens and the access guard every route passes. Other modules get
// the caller through @Caller(); they never authenticate on their own.
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CaModule } from '../ca/ca.module.ts';
import { ConsentModule } from '../privacy-evidence/consent.module.ts';
import { AccessGuard } from './access.guard.ts';
import { ApiTokenService } from './api-token.service.ts';
import { ApiTokensRepository } from './api-tokens.repository.ts';
import { AuthController } from './auth.controller.ts';
import { BrowserSessionFlow } from './browser-session.flow.ts';
import { LoginRateLimiter } from './login-rate-limiter.ts';
import { LoginService } from './login.service.ts';
import { NodeAuthenticator } from './node-authenticator.service.ts';
import { PasswordHasher } from './password-hasher.ts';
import { SessionHousekeeping } from './session-housekeeping.ts';
import { SessionService } from './session.service.ts';
import { SessionsRepository } from './sessions.repository.ts';
import { TokensController } from './tokens.controller.ts';
import { UserAuthenticator } from './user-authenticator.service.ts';
import { UsersRepository } from './users.repository.ts';

@Module({
  imports: [CaModule, ConsentModule],
  controllers: [AuthController, TokensController],
  providers: [
    UsersRepository,
    SessionsRepository,
    ApiTokensRepository,
    PasswordHasher,
    LoginRateLimiter,
    LoginService,
    SessionService,
    SessionHousekeeping,
    ApiTokenService,
    BrowserSessionFlow,
    UserAuthenticator,
    NodeAuthenticator,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [UsersRepository, PasswordHasher],
})
export class AuthModule {}
