// The control plane's version, from its package.json (the same two levels up from src/ and dist/).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function appVersion(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}
