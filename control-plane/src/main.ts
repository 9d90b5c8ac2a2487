// The control plane's process: load the configuration (a bad value stops here with a message
// naming the variable), start, and shut down cleanly on SIGTERM/SIGINT. SIGHUP reloads the TLS
// certificates and CRLs without a restart.
import { redactConfig } from '@enclave/contracts';
import { startControlPlane } from './app/control-plane.app.ts';
import { loadControlPlaneConfig } from './config/control-plane.config.ts';
import { HttpsListeners } from './listeners/https-listeners.service.ts';

async function main(): Promise<void> {
  const config = loadControlPlaneConfig(process.env);
  const running = await startControlPlane(config);
  running.logger.write('info', 'Control plane started', { config: redactConfig(config) });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    running.logger.write('info', 'Stopping', { signal });
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    running.app
      .get(HttpsListeners)
      .reloadTls()
      .catch((error: unknown) => running.logger.write('error', 'TLS reload failed', { error }));
  });
}

main().catch((error: unknown) => {
  // One line, no stack: a configuration or database problem is for the operator to fix.
  process.stderr.write(`enclave-control-plane: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
