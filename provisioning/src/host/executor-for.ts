import type { HostConnection, HostExecutor } from './host-executor.ts';
import { LocalExecutor } from './local.executor.ts';
import { SshExecutor } from './ssh.executor.ts';

export function executorFor(connection: HostConnection): HostExecutor {
  return connection.kind === 'local' ? new LocalExecutor(connection.root) : new SshExecutor(connection);
}
