// @enclave/provisioning: the inventory, the Pulumi program that installs an appliance from it,
// and the host executors and dynamic providers the program uses.
export { parseInventory, InventoryError } from './inventory/inventory.parser.ts';
export {
  InventorySchema,
  HostRole,
  InventoryMode,
  MIN_PRODUCTION_BROKERS,
  type Inventory,
  type InventoryHost,
} from './inventory/inventory.schema.ts';
export { applianceProgram, readAgentUnit, type ProgramOptions } from './program.ts';
export { Appliance } from './components/appliance.component.ts';
export { ControlPlaneHost } from './components/control-plane-host.component.ts';
export { KafkaCluster } from './components/kafka-cluster.component.ts';
export { GpuNode } from './components/gpu-node.component.ts';
export {
  type HostExecutor,
  type HostConnection,
  type CommandResult,
  HostCommandError,
} from './host/host-executor.ts';
export { LocalExecutor } from './host/local.executor.ts';
export { SshExecutor } from './host/ssh.executor.ts';
export {
  RemoteFile,
  SystemdUnit,
  NftablesRuleset,
  LuksVolume,
  EnrollmentToken,
  HostCertificate,
} from './providers/resources.ts';
export { renderEgressRuleset } from './render/nftables.render.ts';
