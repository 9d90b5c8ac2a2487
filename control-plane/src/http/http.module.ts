// The HTTP frame every feature module plugs into: the error filter, the access guard (from
// AuthModule), the contract interceptor and the start-up check of route bindings.
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { ErrorReplyFilter } from './error-reply.filter.ts';
import { RouteBindingCheck } from './route-binding.check.ts';
import { RouteContractInterceptor } from './route-contract.interceptor.ts';

@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: APP_FILTER, useClass: ErrorReplyFilter },
    { provide: APP_INTERCEPTOR, useClass: RouteContractInterceptor },
    RouteBindingCheck,
  ],
})
export class HttpModule {}
