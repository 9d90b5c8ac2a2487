// The Pulumi program under pulumi.runtime.setMocks: its shape and invariants. The program is
// imported after setMocks, as Pulumi requires.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseInventory } from '../src/inventory/inventory.parser.ts';
import type { Inventory } from '../src/inventory/inventory.schema.ts';
import type { applianceProgram as ApplianceProgram } from '../src/program.ts';

const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const TOKEN_PATTERN = /enc1\.[a-z0-9-]+\.[A-Za-z0-9_-]{20,}/;
const PEM_PATTERN = /-----BEGIN [A-Z ]+-----/;
const fakeToken = (node: string) => `enc1.${node}.${'s'.repeat(43)}.${'p'.repeat(43)}`;

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
let registered: Registered[] = [];
const dependsOn = new Map<string, string[]>();

const isSecret = (v: unknown) =>
  typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] !== undefined;

/** Every string outside a secret wrapper that looks like a token or a PEM block. */
function leaks(value: unknown, path = ''): string[] {
  if (isSecret(value)) return [];
  if (typeof value === 'string') return TOKEN_PATTERN.test(value) || PEM_PATTERN.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaks(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaks(v, `${path}.${k}`));
  return [];
}

const exampleText = readFileSync(new URL('../examples/inventory.example.yaml', import.meta.url), 'utf8');
const production = parseInventory(exampleText);
const labText = (() => {
  const inv = JSON.parse(JSON.stringify(production)) as { mode: string; hosts: { name: string }[] };
  inv.mode = 'lab';
  inv.hosts = inv.hosts.filter((h) => h.name !== 'kafka-2' && h.name !== 'kafka-3' && h.name !== 'gpu-2');
  return stringify(inv);
})();

let applianceProgram: typeof ApplianceProgram;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state = { ...(args.inputs as Record<string, unknown>) };
        if (args.type.endsWith(':EnrollmentToken')) state.token = fakeToken(String(state.node));
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    'enclave-appliance',
    'test',
    false,
  );
  ({ applianceProgram } = await import('../src/program.ts'));
});

/** Records each resource's explicit dependencies (by name) to check ordering. */
const recordDependsOn: pulumi.ResourceTransformation = (args) => {
  const deps = (args.opts.dependsOn ?? []) as pulumi.Resource[];
  dependsOn.set(
    args.name,
    deps.map((d) => (d as unknown as { __name: string }).__name),
  );
  return undefined;
};

async function run(inventory: Inventory) {
  registered = [];
  const { appliance, outputs } = applianceProgram(inventory, {
    componentOptions: { transformations: [recordDependsOn] },
  });
  // Wait for every registration (the agent unit is the last resource of each node).
  await Promise.all(appliance.gpuNodes.map((n) => new Promise((r) => n.agent.urn.apply(r))));
  await new Promise((r) => appliance.kafka.units.at(-1)!.urn.apply(r));
  await new Promise((r) => setTimeout(r, 50));
  return { appliance, outputs };
}

const ofType = (suffix: string) => registered.filter((r) => r.type.endsWith(suffix));
const files = () => ofType(':RemoteFile');

describe('appliance program (mocks)', () => {
  it('builds the components: 1 control plane, a 3-broker cluster, one GpuNode per gpu-node', async () => {
    await run(production);
    expect(ofType('enclave:appliance:Appliance')).toHaveLength(1);
    expect(ofType('enclave:appliance:ControlPlaneHost')).toHaveLength(1);
    expect(ofType('enclave:appliance:KafkaCluster')).toHaveLength(1);
    expect(ofType('enclave:appliance:GpuNode').map((r) => r.name)).toEqual([
      'acme-enclave-node-gpu-1',
      'acme-enclave-node-gpu-2',
    ]);
    // Dynamic resources only: no provider plugin is needed.
    for (const r of registered.filter((x) => !x.type.startsWith('enclave:appliance:'))) {
      expect(r.type).toMatch(
        /^pulumi-nodejs:dynamic\/enclave:(RemoteFile|SystemdUnit|NftablesRuleset|LuksVolume|EnrollmentToken|HostCertificate)$/,
      );
    }
    expect(ofType(':EnrollmentToken').map((r) => [r.inputs.node, r.inputs.profile])).toEqual([
      ['kafka-1', 'broker'],
      ['kafka-2', 'broker'],
      ['kafka-3', 'broker'],
      ['gpu-1', 'node'],
      ['gpu-2', 'node'],
    ]);
  });

  it('production: 3 KRaft voters, replication 3, min ISR 2, mutual TLS, deny by default', async () => {
    await run(production);
    const configs = files().filter((f) => f.inputs.path === '/etc/enclave/kafka/server.properties');
    expect(configs).toHaveLength(3);
    const text = configs.map((c) => String(c.inputs.content));
    expect(text.map((t) => /node\.id=(\d)/.exec(t)?.[1])).toEqual(['1', '2', '3']);
    for (const t of text) {
      expect(t).toContain('controller.quorum.voters=1@10.20.0.21:9093,2@10.20.0.22:9093,3@10.20.0.23:9093');
      expect(t).toContain('listener.security.protocol.map=CLIENT:SSL,BROKER:SSL,CONTROLLER:SSL');
      expect(t).toContain('ssl.client.auth=required');
      expect(t).toContain('allow.everyone.if.no.acl.found=false');
      expect(t).toContain(
        'super.users=User:kafka-1;User:kafka-2;User:kafka-3;User:control-plane;User:operator-admin',
      );
      expect(t).toContain('default.replication.factor=3');
      expect(t).toContain('min.insync.replicas=2');
      expect(t).not.toMatch(/PLAINTEXT/);
    }
    expect(ofType(':SystemdUnit').filter((u) => u.inputs.name === 'enclave-kafka.service')).toHaveLength(3);
  });

  it('lab mode runs with one broker (replication 1)', async () => {
    const { outputs } = await run(parseInventory(labText));
    const configs = files().filter((f) => f.inputs.path === '/etc/enclave/kafka/server.properties');
    expect(configs).toHaveLength(1);
    expect(String(configs[0]!.inputs.content)).toContain('default.replication.factor=1');
    expect(String(configs[0]!.inputs.content)).toContain('controller.quorum.voters=1@10.20.0.21:9093');
    expect(outputs.brokers).toEqual(['kafka-1']);
  });

  it('every GPU node gets default-deny egress with the facility allowlist and an encrypted scratch volume', async () => {
    const { appliance } = await run(production);
    const rulesets = ofType(':NftablesRuleset');
    const volumes = ofType(':LuksVolume');
    for (const node of production.hosts.filter((h) => h.roles.includes('gpu-node'))) {
      const ruleset = rulesets.find((r) => r.name === `acme-enclave-node-${node.name}-egress`);
      expect(ruleset, node.name).toBeDefined();
      const text = String(ruleset!.inputs.ruleset);
      expect(text).toContain('policy drop;');
      expect(text).toContain(
        'elements = { 10.20.0.10, 10.20.0.21, 10.20.0.22, 10.20.0.23, 10.20.0.53/32, 10.20.30.0/24 }',
      );
      expect(text).toContain('elements = { fd20:30::/64 }');
      expect((ruleset!.inputs.connection as { host: string }).host).toBe(node.address);
      const volume = volumes.find((v) => v.name === `acme-enclave-node-${node.name}-scratch`);
      expect(volume?.inputs).toMatchObject({
        device: node.scratchDevice,
        keyFile: '/etc/enclave/keys/scratch.key',
        wipeExisting: false,
      });
      const units = ofType(':SystemdUnit').filter(
        (u) => (u.inputs.connection as { host: string }).host === node.address,
      );
      expect(units.map((u) => u.inputs.name).sort()).toEqual([
        'enclave-agent.service',
        'enclave-egress.service',
        'enclave-gpu-check.service',
        'enclave-scratch.service',
      ]);
    }
    expect(appliance.gpuNodes.map((n) => n.gpuCount)).toEqual([4, 8]);
    const agentConfig = files().find((f) => f.name === 'acme-enclave-node-gpu-2-agent-config');
    expect(String(agentConfig!.inputs.content)).toContain('controlPlaneUrl: https://10.20.0.10:8443');
    expect(String(agentConfig!.inputs.content)).toContain('slots: 8');
    // The agent Requires= its preconditions.
    const dropIn = files().find((f) => f.name === 'acme-enclave-node-gpu-1-agent-dropin');
    expect(String(dropIn!.inputs.content)).toContain(
      'Requires=enclave-egress.service enclave-scratch.service enclave-gpu-check.service',
    );
  });

  it('tokens travel only as secrets: files holding them are 0600 secret inputs; no output holds a token or PEM', async () => {
    const { appliance, outputs } = await run(production);
    const tokenFiles = files().filter(
      (f) => f.inputs.path === '/etc/enclave/agent.env' || f.inputs.path === '/etc/enclave/kafka/enroll.env',
    );
    expect(tokenFiles).toHaveLength(5);
    for (const f of tokenFiles) {
      expect(isSecret(f.inputs.content), f.name).toBe(true);
      expect(f.inputs.mode).toBe(0o600);
    }
    expect(await pulumi.isSecret(appliance.gpuNodes[0]!.agentEnvContent)).toBe(true);
    const envText = await new Promise<string>((r) => appliance.gpuNodes[0]!.agentEnvContent.apply(r));
    expect(envText).toBe(`ENCLAVE_AGENT_TOKEN=${fakeToken('gpu-1')}\n`); // the scan below can find a token

    // Every registered input outside a secret wrapper, and the stack outputs.
    const found = registered.flatMap((r) => leaks(r.inputs, `${r.type}:${r.name}`));
    expect(found).toEqual([]);
    expect(leaks(JSON.parse(JSON.stringify(outputs)))).toEqual([]);
    expect(outputs).toEqual({
      mode: 'production',
      controlPlaneUrl: 'https://10.20.0.10:8443',
      kafkaBootstrap: '10.20.0.21:9092,10.20.0.22:9092,10.20.0.23:9092',
      brokers: ['kafka-1', 'kafka-2', 'kafka-3'],
      nodes: [
        { name: 'gpu-1', address: '10.20.1.11', gpus: 4, scratchDevice: '/dev/nvme1n1' },
        { name: 'gpu-2', address: '10.20.1.12', gpus: 8, scratchDevice: '/dev/nvme1n1' },
      ],
    });
    // The scanner itself finds an unwrapped token.
    expect(leaks({ a: [`x ${fakeToken('n')}`] })).toEqual(['.a[0]']);
  });

  it('the control plane starts after the tokens exist (it imports the CA directory once)', async () => {
    const { appliance } = await run(production);
    expect(appliance.controlPlane.tokens.size).toBe(5);
    const tokenNames = ofType(':EnrollmentToken').map((t) => t.name);
    expect(dependsOn.get('acme-enclave-control-plane-unit')).toEqual([
      'acme-enclave-control-plane-env',
      'acme-enclave-control-plane-tls',
      ...tokenNames,
    ]);
    // The control plane's certificate is issued on its host, for its address.
    expect(
      ofType(':HostCertificate').map((c) => [c.inputs.name, c.inputs.outDir, c.inputs.ipAddresses]),
    ).toEqual([['cp-1', '/var/lib/enclave/tls', ['10.20.0.10']]]);
    // Each agent starts after its node's preconditions and after the control plane and brokers.
    expect(dependsOn.get('acme-enclave-node-gpu-1-agent-unit')).toEqual([
      'acme-enclave-node-gpu-1-egress-unit',
      'acme-enclave-node-gpu-1-scratch-unit',
      'acme-enclave-node-gpu-1-gpu-check-unit',
      'acme-enclave-node-gpu-1-agent-config',
      'acme-enclave-node-gpu-1-agent-env',
      'acme-enclave-node-gpu-1-agent-dropin',
      'acme-enclave-control-plane-unit',
      'acme-enclave-kafka-kafka-1-unit',
      'acme-enclave-kafka-kafka-2-unit',
      'acme-enclave-kafka-kafka-3-unit',
    ]);
    const env = files().find((f) => f.inputs.path === '/etc/enclave/control-plane.env');
    expect(String(env!.inputs.content)).toContain(
      'ENCLAVE_KAFKA_BOOTSTRAP=10.20.0.21:9092,10.20.0.22:9092,10.20.0.23:9092',
    );
    expect(String(env!.inputs.content)).toContain('ENCLAVE_BIND=10.20.0.10');
    expect(String(env!.inputs.content)).not.toMatch(/PASSPHRASE=|KEY=[^/]/);
  });

  it('the serialized dynamic provider runs in a separate Node process (as the Pulumi engine runs it)', async () => {
    await run(production);
    const file = files()[0]!;
    // A plain string: the closure captures no secret (secret values would make it one).
    const text = file.inputs.__provider as string;
    expect(typeof text).toBe('string');
    expect(text.length).toBeLessThan(5_000); // two strings and a loader, not a module graph
    const dir = await mkdtemp(join(tmpdir(), 'enclave-serialized-'));
    try {
      await writeFile(join(dir, 'provider.cjs'), text);
      const script = `
        const p = require(${JSON.stringify(join(dir, 'provider.cjs'))}).handler();
        p.create({ connection: { kind: 'local', root: ${JSON.stringify(dir)} }, path: '/etc/x.conf', content: 'hi\\n', mode: 0o640, owner: 'root:root' })
          .then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
      const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({
        id: `local:${dir}:/etc/x.conf`,
        outs: { path: '/etc/x.conf', mode: 0o640 },
      });
      expect(statSync(join(dir, 'etc/x.conf')).mode & 0o777).toBe(0o640);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
