// The shape of one CLI verb: its words, its options (for node:util parseArgs) and what it does.
import type { ParseArgsOptionsConfig } from 'node:util';
import type { CliIo } from './cli-io.ts';
import { CliUsageError } from './cli-io.ts';

export type OptionValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

export interface CliCommand {
  /** e.g. ['cert', 'issue'] */
  readonly words: readonly string[];
  readonly summary: string;
  readonly usage: string;
  readonly options: ParseArgsOptionsConfig;
  run(values: OptionValues, io: CliIo): Promise<void>;
}

export function requiredString(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new CliUsageError(`Missing --${name}.`);
  return value;
}

export function optionalString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Comma-separated and/or repeated options: `--dns a,b --dns c`. */
export function list(values: OptionValues, name: string): string[] {
  const value = values[name];
  const raw = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return raw
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function optionalNumber(values: OptionValues, name: string): number | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`--${name} must be a positive number.`);
  return n;
}

export const DIR_OPTION = { dir: { type: 'string' } } as const;
export const PASSPHRASE_FILE_OPTION = { 'passphrase-file': { type: 'string' } } as const;
