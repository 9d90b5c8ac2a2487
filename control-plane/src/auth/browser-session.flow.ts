// The HTTP side of signing in and out: reads the client address and any cookie the browser
// already holds, sets or clears the session cookie. LoginService and SessionService stay free
// of requests and responses.
import type { LoginReply } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiTokenService } from './api-token.service.ts';
import type { UserCaller } from './caller.ts';
import { assertNotCrossSite } from './csrf-check.ts';
import { LoginService } from './login.service.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.ts';
import { SessionService } from './session.service.ts';

@Injectable()
export class BrowserSessionFlow {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionService,
    private readonly tokens: ApiTokenService,
  ) {}

  async signIn(
    credentials: { email: string; password: string },
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<LoginReply> {
    assertNotCrossSite(req);
    const signedIn = await this.login.signIn({
      ...credentials,
      clientAddress: req.socket.remoteAddress ?? 'unknown',
      presentedCookie: readSessionCookie(req),
    });
    setSessionCookie(res, signedIn.session.cookieValue, signedIn.session.maxAgeSeconds);
    return signedIn.reply;
  }

  /** Ends what this request was authenticated with: its session, or its API token. */
  async signOut(caller: UserCaller, res: ServerResponse): Promise<void> {
    if (caller.via === 'token') {
      await this.tokens.revoke(caller, caller.credentialId);
      return;
    }
    await this.sessions.end(caller.credentialId);
    clearSessionCookie(res);
  }

  async signOutEverywhere(caller: UserCaller, res: ServerResponse): Promise<void> {
    await this.sessions.endAllOf(caller.userId);
    if (caller.via === 'session') clearSessionCookie(res);
  }
}
