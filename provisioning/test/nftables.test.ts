// The egress ruleset, checked by the real `nft -c -f` (needs CAP_NET_ADMIN: root here), and the
// NftablesRuleset provider, whose check refuses a bad ruleset before anything is loaded.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  nftablesRulesetProvider,
  type NftablesRulesetInputs,
} from '../src/providers/nftables-ruleset.provider.ts';
import { EGRESS_TABLE, renderEgressRuleset } from '../src/render/nftables.render.ts';
import { makeFakeHost, type FakeHost } from './support/fake-host.ts';

async function nftCheck(text: string): Promise<{ status: number | null; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'enclave-nft-'));
  try {
    await writeFile(join(dir, 'r.nft'), text);
    const result = spawnSync('nft', ['-c', '-f', join(dir, 'r.nft')], { encoding: 'utf8' });
    return { status: result.status, stderr: result.stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('egress ruleset', () => {
  it('nft is installed (scripts/debian-packages.txt lists nftables)', () => {
    expect(execFileSync('nft', ['--version'], { encoding: 'utf8' })).toMatch(/^nftables v1\./);
  });

  it('passes `nft -c -f` with mixed IPv4/IPv6 entries and with an empty allowlist', async () => {
    const full = renderEgressRuleset({
      allow: ['10.20.30.0/24', '10.20.0.53/32', '10.20.0.10', 'fd20:30::/64', '2001:db8::1'],
    });
    expect(await nftCheck(full)).toEqual({ status: 0, stderr: '' });
    expect(await nftCheck(renderEgressRuleset({ allow: [] }))).toEqual({ status: 0, stderr: '' });
  });

  it('the check can fail: a broken ruleset is refused by nft', async () => {
    const broken = renderEgressRuleset({ allow: ['10.0.0.0/8'] }).replace('policy drop;', 'policy dorp;');
    const result = await nftCheck(broken);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Error/);
  });

  it('is default-deny egress with the allowlist split by family', () => {
    const text = renderEgressRuleset({ allow: ['10.20.30.0/24', 'fd20:30::/64'] });
    expect(text).toContain('type filter hook output priority filter; policy drop;');
    expect(text).toContain('elements = { 10.20.30.0/24 }');
    expect(text).toContain('elements = { fd20:30::/64 }');
    expect(text).toContain('ct state established,related accept');
    expect(text.trimEnd().split('\n').at(-3)).toBe('    counter drop');
    expect(() => renderEgressRuleset({ allow: ['example.com'] })).toThrow(/not an address or CIDR/);
  });
});

describe('NftablesRuleset provider', () => {
  let host: FakeHost;
  const inputs = (ruleset: string): NftablesRulesetInputs => ({
    connection: { kind: 'local', root: host.root },
    name: 'enclave-egress',
    table: EGRESS_TABLE,
    ruleset,
  });
  beforeEach(async () => {
    host = await makeFakeHost();
  });
  afterEach(async () => {
    await rm(host.root, { recursive: true, force: true });
  });

  it('writes 0600, checks with nft -c, loads; updates; delete drops the table and the file', async () => {
    const first = renderEgressRuleset({ allow: ['10.20.30.0/24'] });
    const created = await nftablesRulesetProvider.create(inputs(first));
    const file = join(host.root, 'etc/nftables.d/enclave-egress.nft');
    expect(await readFile(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await host.commands()).toEqual([`nft -c -f ${file}`, `nft -f ${file}`]);

    const second = renderEgressRuleset({ allow: ['10.20.30.0/24', '10.20.40.0/24'] });
    expect(await nftablesRulesetProvider.diff(created.id, created.outs!, inputs(second))).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await nftablesRulesetProvider.diff(created.id, created.outs!, inputs(first))).toMatchObject({
      changes: false,
    });
    const updated = await nftablesRulesetProvider.update(created.id, created.outs!, inputs(second));
    expect(await readFile(file, 'utf8')).toBe(second);

    await nftablesRulesetProvider.delete(created.id, updated.outs!);
    expect((await host.commands()).at(-1)).toBe(`nft delete table inet ${EGRESS_TABLE}`);
    expect(existsSync(file)).toBe(false);
  });

  it('never loads a ruleset that fails the check, and leaves no file behind', async () => {
    const broken = renderEgressRuleset({ allow: [] }).replace('counter drop', 'counter dorp');
    await expect(nftablesRulesetProvider.create(inputs(broken))).rejects.toThrow(/nft -c -f/);
    expect((await host.commands()).filter((c) => c.startsWith('nft -f'))).toEqual([]);
    expect(existsSync(join(host.root, 'etc/nftables.d/enclave-egress.nft'))).toBe(false);
  });
});
