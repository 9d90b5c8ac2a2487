// The control plane as the fault suite runs it: a separate Node process (plain type stripping,
// no vitest) that starts the BUILT application (control-plane/dist, as `node dist/main.js`
// does) from ENCLAVE_* variables, so a test can SIGKILL it at any moment and start it again on
// the same SQLite file. It differs from dist/main.js only in the messaging knobs (a
// subscription limited to this run's nodes on the shared broker, fast topic discovery), which
// main.js does not read from the environment.
//
// stdout: the application's JSON log lines, and `fault-child ready <apiPort> <agentPort>` once
// both listeners are up. Configuration: ENCLAVE_* as for main.js, plus the JSON of
// MessagingOverrides in ENCLAVE_FAULT_MESSAGING.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as AppModule from '../../src/app/control-plane.app.ts';
import type * as ConfigModule from '../../src/config/control-plane.config.ts';
import type { MessagingOverrides } from '../../src/kafka-link/kafka-link.module.ts';

const dist = join(import.meta.dirname, '..', '..', 'dist');
const load = <T>(file: string): Promise<T> => import(pathToFileURL(join(dist, file)).href) as Promise<T>;

const { startControlPlane } = await load<typeof AppModule>('app/control-plane.app.js');
const { loadControlPlaneConfig } = await load<typeof ConfigModule>('config/control-plane.config.js');

const messaging = JSON.parse(process.env['ENCLAVE_FAULT_MESSAGING'] ?? '{}') as MessagingOverrides;
const running = await startControlPlane(loadControlPlaneConfig(process.env), { messaging });
process.stdout.write(`fault-child ready ${running.addresses.api.port} ${running.addresses.agent.port}\n`);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
