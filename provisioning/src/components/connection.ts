import type { HostConnection } from '../host/host-executor.ts';
import type { InventoryHost } from '../inventory/inventory.schema.ts';

/** How the program reaches a host: SSH from the inventory unless the caller says otherwise. */
export type ConnectionFor = (host: InventoryHost) => HostConnection;

export function sshConnectionFor(knownHostsFile?: string): ConnectionFor {
  return (host) => ({
    kind: 'ssh',
    host: host.address,
    port: host.ssh.port,
    user: host.ssh.user,
    ...(host.ssh.identityFile ? { identityFile: host.ssh.identityFile } : {}),
    ...(knownHostsFile ? { knownHostsFile } : {}),
  });
}
