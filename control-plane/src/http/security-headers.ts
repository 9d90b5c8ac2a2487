// Headers on every reply. The API serves JSON only, so the policy can be the strictest there
// is: nothing may load, nothing may frame it, no referrer leaves. (The UI, when it is served,
// gets its own CSP for its scripts.)
import type { ServerResponse } from 'node:http';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Replies carry tenant data and session state: no cache may keep them.
  'Cache-Control': 'no-store',
};

/**
 * The web UI's pages and files (http/ui-static.middleware.ts): scripts, styles, images, media and
 * API calls from our own origin only — no inline script or style element, no eval, no framing.
 * Styles set from script (React's `style` prop goes through CSSOM) are not inline markup and
 * need no 'unsafe-inline'.
 */
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; " +
  "connect-src 'self'; font-src 'self'; manifest-src 'self'; frame-ancestors 'none'; " +
  "base-uri 'none'; form-action 'self'";

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}
