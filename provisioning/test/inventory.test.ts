import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InventoryError, parseInventory } from '../src/inventory/inventory.parser.ts';

const exampleText = readFileSync(new URL('../examples/inventory.example.yaml', import.meta.url), 'utf8');
const example = parseInventory(exampleText, 'example');

type Mutable = Record<string, unknown> & { hosts: Record<string, unknown>[] };
const clone = (): Mutable => JSON.parse(JSON.stringify(example)) as Mutable;

function refusal(value: unknown): string {
  try {
    parseInventory(stringify(value), 'inv.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('inventory', () => {
  it('accepts the annotated example, with defaults applied, frozen', () => {
    expect(example.mode).toBe('production');
    expect(example.hosts).toHaveLength(6);
    expect(example.hosts[1]?.ssh.port).toBe(22);
    expect(example.nvidia.driverPackage).toBe('nvidia-driver');
    expect(Object.isFrozen(example.hosts[0]?.ssh)).toBe(true);
  });

  it('names the field path of a bad address', () => {
    const inv = clone();
    inv.hosts[2]!.address = '10.20.0.999';
    expect(refusal(inv)).toBe('inv.yaml: hosts[2].address: must be an IPv4 or IPv6 address');
  });

  it('refuses fewer than 3 brokers in production and accepts 1 in lab mode', () => {
    const inv = clone();
    inv.hosts = inv.hosts.filter((h) => h.name !== 'kafka-2' && h.name !== 'kafka-3');
    expect(refusal(inv)).toBe(
      'inv.yaml: hosts: production mode needs at least 3 kafka-broker host(s), found 1',
    );
    inv.mode = 'lab';
    expect(parseInventory(stringify(inv)).hosts).toHaveLength(4);
    inv.hosts = inv.hosts.filter((h) => h.name !== 'kafka-1');
    expect(refusal(inv)).toContain('lab mode needs at least 1 kafka-broker host(s), found 0');
  });

  it('requires a scratch device and GPUs on every gpu-node', () => {
    const inv = clone();
    delete inv.hosts[4]!.scratchDevice;
    expect(refusal(inv)).toBe(
      'inv.yaml: hosts[4].scratchDevice: required for a gpu-node (a raw block device for the encrypted scratch volume)',
    );
    inv.hosts[4]!.scratchDevice = 'nvme1n1';
    expect(refusal(inv)).toContain('hosts[4].scratchDevice: must be a block device path under /dev/');
    inv.hosts[4]!.scratchDevice = '/dev/nvme1n1';
    inv.hosts[4]!.gpus = [];
    expect(refusal(inv)).toContain('hosts[4].gpus: required for a gpu-node');
  });

  it('refuses duplicates, unknown keys, bad CIDRs and a second control plane', () => {
    const dup = clone();
    dup.hosts[3]!.name = 'kafka-1';
    expect(refusal(dup)).toContain('hosts[3].name: duplicates hosts[1].name');
    const unknown = clone();
    unknown.hosts[0]!.pasword = 'x';
    expect(refusal(unknown)).toMatch(/hosts\[0\]: Unrecognized key.*pasword/);
    const cidr = clone();
    (cidr.facility as { egressAllowlist: string[] }).egressAllowlist = ['10.0.0.0/33'];
    expect(refusal(cidr)).toContain('facility.egressAllowlist[0]: must be a CIDR');
    const twoCp = clone();
    twoCp.hosts[1]!.roles = ['kafka-broker', 'control-plane'];
    expect(refusal(twoCp)).toContain('hosts: must have exactly one control-plane host');
    const port = clone();
    (port.hosts[0]!.ssh as { port: number }).port = 70000;
    expect(refusal(port)).toContain('hosts[0].ssh.port:');
  });

  it('reports YAML syntax errors and repeated keys as inventory errors', () => {
    expect(() => parseInventory('hosts: [', 'x.yaml')).toThrow(/^x\.yaml: not valid YAML: /);
    expect(() => parseInventory('version: 1\nversion: 1\n', 'x.yaml')).toThrow(InventoryError);
    expect(() => parseInventory('', 'x.yaml')).toThrow(InventoryError);
  });

  const onlyValidationErrors = (text: string) => {
    try {
      parseInventory(text);
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      expect(error.message.length).toBeGreaterThan(0);
    }
  };

  it('fuzz: arbitrary text never throws anything but an InventoryError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), onlyValidationErrors), { numRuns: 1500 });
  });

  it('fuzz: arbitrary YAML values never throw anything but an InventoryError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => onlyValidationErrors(stringify(value))),
      { numRuns: 700 },
    );
  });

  it('fuzz: the example with one field replaced by an arbitrary value', () => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(example, []);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths.filter((p) => p.length > 0)),
        fc.jsonValue({ maxDepth: 2 }),
        (path, value) => {
          const inv = clone() as unknown as Record<string | number, unknown>;
          let at = inv;
          for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
          at[path.at(-1)!] = value;
          onlyValidationErrors(stringify(inv));
        },
      ),
      { numRuns: 300 },
    );
  });
});
