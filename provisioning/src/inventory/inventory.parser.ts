// Reads an inventory file's text. The only error it throws is InventoryError, whose message
// names the field path to fix (`hosts[2].address: must be an IPv4 or IPv6 address`).
import { check, type FieldIssue } from '@enclave/contracts';
import { parse as parseYaml } from 'yaml';
import { InventorySchema, type Inventory } from './inventory.schema.ts';

export class InventoryError extends Error {
  readonly issues: readonly FieldIssue[];
  constructor(source: string, issues: readonly FieldIssue[]) {
    const shown = issues.slice(0, 5).map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
    const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
    super(`${source}: ${shown.join('; ')}${more}`);
    this.name = 'InventoryError';
    this.issues = issues;
  }
}

/** Parses YAML (JSON is YAML too) and validates; the returned inventory is deeply frozen. */
export function parseInventory(text: string, source = 'inventory'): Inventory {
  let raw: unknown;
  try {
    // uniqueKeys: a repeated key is a typo, not an override. maxAliasCount bounds alias bombs.
    raw = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100, prettyErrors: false, logLevel: 'error' });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InventoryError(source, [{ path: '', message: `not valid YAML: ${reason}` }]);
  }
  const result = check(InventorySchema, raw);
  if (!result.success) throw new InventoryError(source, result.issues);
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
