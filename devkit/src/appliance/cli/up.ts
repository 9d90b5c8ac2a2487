// `make up`: the whole appliance on this machine until Ctrl-C. Settings from the environment:
// ENCLAVE_DEV_DIR (state, default .enclave/dev), ENCLAVE_API_PORT (8443), ENCLAVE_AGENT_PORT
// (8444), ENCLAVE_KAFKA_PORT (19093), ENCLAVE_AGENT_ALLOW_UNSANDBOXED=1 (hosts without
// network namespaces). A second Ctrl-C while stopping kills what is left at once.
import { runCli } from '../../kafka/cli/run-cli.ts';
import { startSingleBox, type SingleBox } from '../single-box.ts';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

runCli(async () => {
  // Filled once the box is up; the signal handlers read it.
  const held: { box?: SingleBox } = {};
  let stopping = false;
  let interrupted = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.error(`\nenclave: stopping (${reason})`);
    await held.box?.stop();
    console.error('enclave: stopped');
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error('enclave: second signal, killing what is left');
      held.box?.agent.killNow();
      held.box?.controlPlane.killNow();
      process.exit(130);
    }
    interrupted = true;
    if (held.box) void stop(signal, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // If the launcher dies of an error, its children must not outlive it.
  process.on('exit', () => {
    held.box?.agent.killNow();
    held.box?.controlPlane.killNow();
  });

  const box = await startSingleBox({
    apiPort: port('ENCLAVE_API_PORT', 8443),
    agentPort: port('ENCLAVE_AGENT_PORT', 8444),
    ...(process.env['ENCLAVE_KAFKA_PORT'] ? { kafkaPort: port('ENCLAVE_KAFKA_PORT', 19093) } : {}),
    ...(process.env['ENCLAVE_DEV_DIR'] ? { devDir: process.env['ENCLAVE_DEV_DIR'] } : {}),
    allowUnsandboxed: process.env['ENCLAVE_AGENT_ALLOW_UNSANDBOXED'] === '1',
  });
  held.box = box;
  if (interrupted) return stop('interrupted during start-up', 130);

  const accounts = box.demo.accounts.map((a) => `  ${a.role.padEnd(9)} ${a.email.padEnd(30)} ${a.password}`);
  console.log(`
Enclave (single box) is up${box.firstRun ? ' — first run: demo tenant created' : ''}.
  URL           ${box.url}   (API: ${box.url}/api/docs)
  CA            ${box.caFile}   (curl --cacert "$ENCLAVE_CA" "$ENCLAVE_URL/api/v1/health")
  Tenant        ${box.demo.tenant}
${accounts.join('\n')}
  Node          ${box.demo.nodeId} online (agent log ${box.paths.agentLog})
  Control plane log ${box.paths.controlPlaneLog}
  Kafka         ${box.broker.bootstrap}${box.brokerStartedHere ? '' : ' (was already running; left running on exit)'}
  Everything above is in ${box.demoEnvFile} (source it); try: scripts/demo-job.sh
Press Ctrl-C to stop.`);

  const current = box;
  void current.controlPlane.exited.then((code) =>
    stop(`the control plane exited (${code}); see ${current.paths.controlPlaneLog}`, 1),
  );
  void current.agent.exited.then((code) =>
    stop(`the agent exited (${code}); see ${current.paths.agentLog}`, 1),
  );
  await new Promise(() => {
    // Runs until a signal or a child's exit calls stop().
  });
});
