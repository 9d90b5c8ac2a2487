// The whole appliance from one inventory: control plane (and the enrollment tokens, made where
// the CA is), the Kafka cluster, and every GPU node. Outputs carry names, addresses and counts,
// never a token or key.
import * as pulumi from '@pulumi/pulumi';
import { HostRole, type Inventory } from '../inventory/inventory.schema.ts';
import type { TokenSource } from '../providers/enrollment-token.provider.ts';
import { CONTROL_PLANE_PATHS } from '../render/control-plane.render.ts';
import { bootstrapServers } from '../render/kafka-broker.render.ts';
import type { ConnectionFor } from './connection.ts';
import { ControlPlaneHost, type TokenRequest } from './control-plane-host.component.ts';
import { GpuNode } from './gpu-node.component.ts';
import { KafkaCluster } from './kafka-cluster.component.ts';

export interface ApplianceArgs {
  inventory: Inventory;
  connectionFor: ConnectionFor;
  agentUnit: string;
  /** `ca-dir` for the first install; `api` (with apiToken) once the control plane runs. */
  tokenSource?: TokenSource;
  apiToken?: pulumi.Input<string>;
  /** Bump to issue fresh tokens for every host (re-enrollment). */
  tokenGeneration?: number;
}

export interface ApplianceNodeSummary {
  name: string;
  address: string;
  gpus: number;
  scratchDevice: string;
}

export class Appliance extends pulumi.ComponentResource {
  readonly controlPlane: ControlPlaneHost;
  readonly kafka: KafkaCluster;
  readonly gpuNodes: GpuNode[] = [];
  readonly summary: {
    mode: string;
    controlPlaneUrl: string;
    kafkaBootstrap: string;
    brokers: string[];
    nodes: ApplianceNodeSummary[];
  };

  constructor(name: string, args: ApplianceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('enclave:appliance:Appliance', name, {}, opts);
    const inv = args.inventory;
    const withRole = (role: HostRole) => inv.hosts.filter((h) => h.roles.includes(role));
    const controlHost = withRole(HostRole.CONTROL_PLANE)[0];
    if (!controlHost) throw new Error('the inventory has no control-plane host');
    const brokerHosts = withRole(HostRole.KAFKA_BROKER);
    const nodeHosts = withRole(HostRole.GPU_NODE);
    const kafkaBootstrap = bootstrapServers(brokerHosts);
    const agentPort = 8444;

    const tokens: TokenRequest[] = [
      ...brokerHosts.map((h) => ({
        node: h.name,
        profile: 'broker' as const,
        serverAuth: true,
        ipAddresses: [h.address],
      })),
      ...nodeHosts.map((h) => ({
        node: h.name,
        profile: 'node' as const,
        serverAuth: false,
        ipAddresses: [],
      })),
    ];
    this.controlPlane = new ControlPlaneHost(
      `${name}-control-plane`,
      {
        name: controlHost.name,
        address: controlHost.address,
        connection: args.connectionFor(controlHost),
        apiPort: inv.appliance.apiPort,
        agentPort,
        kafkaBootstrap,
        tokenSource: args.tokenSource ?? {
          kind: 'ca-dir',
          enclaveBin: CONTROL_PLANE_PATHS.enclaveBin,
          caDir: CONTROL_PLANE_PATHS.caDir,
        },
        ...(args.apiToken === undefined ? {} : { apiToken: args.apiToken }),
        tokens,
        tokenGeneration: args.tokenGeneration ?? 1,
      },
      { parent: this },
    );

    this.kafka = new KafkaCluster(
      `${name}-kafka`,
      {
        applianceName: inv.appliance.name,
        brokers: brokerHosts.map((h) => ({
          name: h.name,
          address: h.address,
          connection: args.connectionFor(h),
        })),
        tokens: this.controlPlane.tokens,
      },
      { parent: this },
    );

    // GPU nodes may reach the facility networks and the appliance's own hosts, nothing else.
    const applianceAddresses = [controlHost, ...brokerHosts].map((h) => h.address);
    const egressAllowlist = [...new Set([...inv.facility.egressAllowlist, ...applianceAddresses])];
    for (const host of nodeHosts) {
      const token = this.controlPlane.tokens.get(host.name);
      if (!token) throw new Error(`no enrollment token for node ${host.name}`);
      this.gpuNodes.push(
        new GpuNode(
          `${name}-node-${host.name}`,
          {
            host,
            connection: args.connectionFor(host),
            egressAllowlist,
            // The agent's default agent listener is the same host on 8444 (ENCLAVE_AGENT_PORT).
            controlPlaneUrl: this.controlPlane.apiUrl,
            token,
            driverPackage: inv.nvidia.driverPackage,
            agentUnit: args.agentUnit,
            startAfter: [this.controlPlane.unit, ...this.kafka.units],
          },
          { parent: this },
        ),
      );
    }

    this.summary = {
      mode: inv.mode,
      controlPlaneUrl: `https://${controlHost.address.includes(':') ? `[${controlHost.address}]` : controlHost.address}:${inv.appliance.apiPort}`,
      kafkaBootstrap,
      brokers: brokerHosts.map((h) => h.name),
      nodes: nodeHosts.map((h, i) => ({
        name: h.name,
        address: h.address,
        gpus: this.gpuNodes[i]?.gpuCount ?? 0,
        scratchDevice: h.scratchDevice ?? '',
      })),
    };
    this.registerOutputs(this.summary);
  }
}
