// The session cookie: `__Host-` prefixed, so browsers accept it only when Secure, with Path=/
// and no Domain (no subdomain can set or read it); HttpOnly so scripts cannot read it;
// SameSite=Strict so no other site's page can make the browser send it.
import { SESSION_COOKIE } from '@enclave/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The session cookie's value from the Cookie header, if it has a plausible shape. */
export function readSessionCookie(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(at + 1).trim();
    return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
  }
  return undefined;
}

export function setSessionCookie(res: ServerResponse, value: string, maxAgeSeconds: number): void {
  res.setHeader(
    'Set-Cookie',
    `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${Math.floor(maxAgeSeconds)}; HttpOnly; Secure; SameSite=Strict`,
  );
}

export function clearSessionCookie(res: ServerResponse): void {
  res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`);
}
