// Configuration is read once, at start-up, from the environment: validated against a schema,
// typed and frozen. A bad value stops boot with a message naming every bad variable; values of
// sensitive variables never appear in that message or in logs (redactConfig).
import type { z } from 'zod';
import { ConfigError, quote, type FieldIssue } from './errors.ts';
import { check } from './validation.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

export interface LoadConfigOptions<Key extends string> {
  /** Variables whose values are secrets: never echoed in errors, replaced by redactConfig. */
  readonly sensitive?: readonly Key[];
}

export const REDACTED = '[redacted]';

/** Which keys of a loaded config are sensitive, so redactConfig needs only the config. */
const sensitiveKeysOf = new WeakMap<object, readonly string[]>();

/**
 * Validate the variables named by the schema's keys (and only those) from `env`. An empty
 * string counts as unset, as `FOO=` in a systemd EnvironmentFile means "no value".
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Env,
  options: LoadConfigOptions<Extract<keyof S['shape'], string>> = {},
): DeepReadonly<z.output<S>> {
  const names = Object.keys(schema.shape);
  const sensitive: readonly string[] = options.sensitive ?? [];
  const unknown = sensitive.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    // A typo here would silently leak the secret it meant to protect.
    throw new ConfigError(`Sensitive variables not in the configuration schema: ${unknown.join(', ')}.`, [
      ...unknown.map((name) => ({ path: name, message: 'is marked sensitive but not in the schema' })),
    ]);
  }

  const input: Record<string, string | undefined> = {};
  for (const name of names) {
    const value = env[name];
    input[name] = value === '' ? undefined : value;
  }

  const result = check(schema, input);
  if (!result.success) {
    throw configError(result.issues, input, sensitive);
  }
  const config = deepFreeze(result.data as object);
  sensitiveKeysOf.set(config, [...sensitive]);
  return config as DeepReadonly<z.output<S>>;
}

/** A copy safe to log: sensitive values that are set become "[redacted]". */
export function redactConfig<C extends object>(
  config: C,
): { readonly [K in keyof C]: C[K] | typeof REDACTED } {
  const sensitive = sensitiveKeysOf.get(config);
  if (sensitive === undefined) {
    throw new TypeError(
      'redactConfig: this object did not come from loadConfig, so its secrets are unknown.',
    );
  }
  const copy: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const name of sensitive) {
    if (copy[name] !== undefined) copy[name] = REDACTED;
  }
  return Object.freeze(copy) as { readonly [K in keyof C]: C[K] | typeof REDACTED };
}

function configError(
  issues: readonly FieldIssue[],
  input: Record<string, string | undefined>,
  sensitive: readonly string[],
): ConfigError {
  const lines = issues.map((issue) => {
    const variable = issue.path.split(/[.[]/)[0] ?? '';
    const value = input[variable];
    let shown = '';
    if (sensitive.includes(variable)) shown = value === undefined ? '' : ' (value hidden: sensitive)';
    else if (value !== undefined) shown = ` (got ${quote(value)})`;
    const where = issue.path === '' ? 'configuration' : issue.path;
    return `  - ${where}: ${issue.message}${shown}`;
  });
  const count = new Set(issues.map((issue) => issue.path.split(/[.[]/)[0])).size;
  return new ConfigError(
    `Invalid configuration: ${count} environment variable${count === 1 ? '' : 's'} to fix before start-up:\n` +
      lines.join('\n'),
    issues,
  );
}

/** Freezes plain objects and arrays all the way down; other objects (URL, Date) are left as they are. */
function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value) as unknown[]) {
    if (typeof child === 'object' && child !== null && isPlain(child)) deepFreeze(child);
  }
  return Object.freeze(value);
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}
