// One GPU node: egress firewall (default deny, facility allowlist), LUKS2 scratch volume, NVIDIA
// driver and GPU check, the agent's configuration and one-time token, and the agent unit, which
// Requires= the other three so the agent never runs without them.
import * as pulumi from '@pulumi/pulumi';
import type { HostConnection } from '../host/host-executor.ts';
import type { InventoryHost } from '../inventory/inventory.schema.ts';
import {
  LuksVolume,
  NftablesRuleset,
  RemoteFile,
  SystemdUnit,
  type EnrollmentToken,
} from '../providers/resources.ts';
import { rulesetPath } from '../providers/nftables-ruleset.provider.ts';
import { renderScratchUnit, type LuksVolumeSpec } from '../render/luks.plan.ts';
import { EGRESS_TABLE, renderEgressRuleset } from '../render/nftables.render.ts';
import {
  NODE_PATHS,
  renderAgentConfig,
  renderAgentDropIn,
  renderAgentEnv,
  renderEgressUnit,
  renderGpuCheckScript,
  renderGpuCheckUnit,
  vramFloorMiB,
} from '../render/node-files.render.ts';

export interface GpuNodeArgs {
  host: InventoryHost;
  connection: HostConnection;
  /** Facility CIDRs plus the appliance's own hosts. */
  egressAllowlist: readonly string[];
  controlPlaneUrl: string;
  token: EnrollmentToken;
  driverPackage: string;
  /** The agent's unit file (agent/systemd/enclave-agent.service). */
  agentUnit: string;
  /** Resources the agent must start after (the control plane). */
  startAfter: pulumi.Resource[];
}

export class GpuNode extends pulumi.ComponentResource {
  readonly egress: NftablesRuleset;
  readonly scratch: LuksVolume;
  readonly agent: SystemdUnit;
  readonly agentEnv: RemoteFile;
  /** The agent.env text (a secret Output): exposed for tests of secrecy. */
  readonly agentEnvContent: pulumi.Output<string>;
  readonly egressRuleset: string;
  readonly gpuCount: number;

  constructor(name: string, args: GpuNodeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('enclave:appliance:GpuNode', name, {}, opts);
    const child = { parent: this };
    const connection = args.connection;
    const gpus = args.host.gpus ?? [];
    this.gpuCount = gpus.reduce((n, g) => n + g.count, 0);

    this.egressRuleset = renderEgressRuleset({ allow: args.egressAllowlist });
    this.egress = new NftablesRuleset(
      `${name}-egress`,
      { connection, name: 'enclave-egress', table: EGRESS_TABLE, ruleset: this.egressRuleset },
      child,
    );
    const egressUnit = new SystemdUnit(
      `${name}-egress-unit`,
      {
        connection,
        name: 'enclave-egress.service',
        content: renderEgressUnit(rulesetPath('enclave-egress'), EGRESS_TABLE),
        enable: true,
        start: true,
      },
      { parent: this, dependsOn: [this.egress] },
    );

    if (!args.host.scratchDevice) throw new Error(`gpu-node ${args.host.name} has no scratchDevice`);
    const spec: LuksVolumeSpec = {
      device: args.host.scratchDevice,
      name: 'enclave-scratch',
      keyFile: NODE_PATHS.scratchKey,
      mountPoint: NODE_PATHS.scratchMount,
      mountOwner: 'enclave-agent:enclave-agent',
      wipeExisting: false,
    };
    this.scratch = new LuksVolume(`${name}-scratch`, { connection, ...spec }, child);
    const scratchUnit = new SystemdUnit(
      `${name}-scratch-unit`,
      {
        connection,
        name: 'enclave-scratch.service',
        content: renderScratchUnit(spec),
        enable: true,
        start: true,
      },
      { parent: this, dependsOn: [this.scratch] },
    );

    const gpuScript = new RemoteFile(
      `${name}-gpu-check-script`,
      {
        connection,
        path: NODE_PATHS.gpuCheckScript,
        content: renderGpuCheckScript({
          driverPackage: args.driverPackage,
          count: this.gpuCount,
          minVramMiB: Math.min(...gpus.map((g) => vramFloorMiB(g.vramGiB))),
        }),
        mode: 0o755,
        owner: 'root:root',
      },
      child,
    );
    const gpuUnit = new SystemdUnit(
      `${name}-gpu-check-unit`,
      {
        connection,
        name: 'enclave-gpu-check.service',
        content: renderGpuCheckUnit(),
        enable: true,
        start: true,
      },
      { parent: this, dependsOn: [gpuScript] },
    );

    const config = new RemoteFile(
      `${name}-agent-config`,
      {
        connection,
        path: NODE_PATHS.agentConfig,
        content: renderAgentConfig({
          controlPlaneUrl: args.controlPlaneUrl,
          slots: Math.max(1, this.gpuCount),
        }),
        mode: 0o644,
        owner: 'root:root',
      },
      child,
    );
    this.agentEnvContent = pulumi.secret(args.token.token.apply(renderAgentEnv));
    this.agentEnv = new RemoteFile(
      `${name}-agent-env`,
      {
        connection,
        path: NODE_PATHS.agentEnv,
        content: this.agentEnvContent,
        mode: 0o600,
        owner: 'root:root',
      },
      child,
    );
    const dropIn = new RemoteFile(
      `${name}-agent-dropin`,
      {
        connection,
        path: NODE_PATHS.agentDropIn,
        content: renderAgentDropIn(),
        mode: 0o644,
        owner: 'root:root',
      },
      child,
    );
    this.agent = new SystemdUnit(
      `${name}-agent-unit`,
      { connection, name: 'enclave-agent.service', content: args.agentUnit, enable: true, start: true },
      {
        parent: this,
        dependsOn: [egressUnit, scratchUnit, gpuUnit, config, this.agentEnv, dropIn, ...args.startAfter],
      },
    );
    this.registerOutputs({ gpuCount: this.gpuCount });
  }
}
