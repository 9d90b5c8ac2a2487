// `enclave agent start`: enroll if needed, build the agent, run it until a signal. The first
// SIGTERM/SIGINT drains gracefully; a second one aborts running tasks at once.
import { readFileSync } from 'node:fs';
import { StateDir } from '../config/state-dir.ts';
import { agentListenerUrl, type AgentConfig } from '../config/agent-config.ts';
import { buildAgent, openNodeRuntime } from '../daemon/bootstrap.ts';
import { enroll } from '../enroll/enrollment.client.ts';
import { nodeCapabilities } from '../enroll/node-capabilities.ts';
import { pinnedHttpsTransport } from '../enroll/pinned-https.transport.ts';
import { HttpsAgentLink } from '../link/agent-link.ts';
import { mountScratchVolume, type MountedScratch } from '../scratch/scratch-volume.mount.ts';
import { jsonLogger } from '../support/logger.ts';
import { notifySystemd } from '../support/sd-notify.ts';

export async function startDaemon(
  config: AgentConfig,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const logger = jsonLogger();
  const state = new StateDir(config.stateDir);
  state.ensure();
  const node = await openNodeRuntime(config, logger);
  let identity = state.readIdentity();
  if (!identity) {
    const token =
      env.ENCLAVE_AGENT_TOKEN ??
      (config.tokenFile ? readFileSync(config.tokenFile, 'utf8').trim() : undefined);
    if (!token) {
      logger.error('not enrolled and no token: set ENCLAVE_AGENT_TOKEN or tokenFile');
      return 1;
    }
    const result = await enroll(
      {
        controlPlaneUrl: config.controlPlaneUrl,
        token,
        capabilities: nodeCapabilities(node.hardware, config),
      },
      pinnedHttpsTransport,
    );
    identity = {
      nodeId: result.reply.nodeId,
      kafka: { bootstrap: result.reply.kafka.bootstrap },
      enrolledAt: new Date().toISOString(),
    };
    state.writeEnrollment(identity, {
      keyPem: result.keyPem,
      certificatePem: result.reply.certificatePem,
      chainPem: result.reply.chainPem,
      caPem: result.reply.caPem,
    });
    logger.info('enrolled', { nodeId: identity.nodeId });
  }
  // The LUKS2 scratch volume needs the node certificate (its key comes over mutual TLS), so it
  // is mounted after enrollment; no task has run yet, so nothing was on the plain directory.
  let scratch: MountedScratch | null = null;
  if (config.scratchVolume) {
    scratch = await mountScratchVolume({
      link: new HttpsAgentLink(agentListenerUrl(config), {
        caFile: state.paths.ca,
        chainFile: state.paths.chain,
        keyFile: state.paths.key,
      }),
      scratchDir: config.scratchDir,
      volume: config.scratchVolume,
      logger,
    });
  }
  const agent = buildAgent(config, state, identity, node, logger);
  // Handlers first: a signal during start must still drain and flush, not kill the process.
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info('signal', { signal });
      void notifySystemd('STOPPING=1', env);
      agent.daemon.shutdown().then(resolve, (error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await agent.daemon.start();
  await notifySystemd('READY=1', env);
  await stopped;
  await agent.close();
  await scratch
    ?.close()
    .catch((error: unknown) => logger.error('cannot close the scratch volume', { error: String(error) }));
  logger.info('stopped');
  return 0;
}
