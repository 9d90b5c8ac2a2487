// Puts the scratch root on a LUKS2 volume at every start (config `scratchVolume`): fetch the
// node's volume key, format the loop file afresh (a new LUKS2 header and volume master key, so
// whatever a crashed run left is unreadable from then on), open it with the key on stdin, make a
// filesystem and mount it at scratchDir (0700). The fetched key is zero-filled once the volume
// is open; the kernel holds the volume key from then on. `close` unmounts and closes at exit.
import { chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ScratchVolume, processRunner, type ProcessRunner } from '@enclave/gpu-node';
import type { AgentLink } from '../link/agent-link.ts';
import type { Logger } from '../support/logger.ts';
import { fetchScratchKey } from './scratch-key.client.ts';

export interface ScratchVolumeConfig {
  backingFile: string;
  sizeMiB: number;
  name: string;
}

export interface MountedScratch {
  close(): Promise<void>;
}

export async function mountScratchVolume(input: {
  link: AgentLink;
  scratchDir: string;
  volume: ScratchVolumeConfig;
  logger: Logger;
  runner?: ProcessRunner;
}): Promise<MountedScratch> {
  const { volume: config, scratchDir, logger } = input;
  const volume = new ScratchVolume(
    {
      backingFile: config.backingFile,
      sizeBytes: config.sizeMiB * 1024 * 1024,
      name: config.name,
      mountPoint: scratchDir,
    },
    input.runner ?? processRunner,
  );
  // A previous run that died without closing leaves the mapping open: close it first.
  await volume.unmount().catch(() => undefined);
  await volume.close().catch(() => undefined);
  const { keyId, key } = await fetchScratchKey(input.link);
  try {
    await mkdir(dirname(config.backingFile), { recursive: true, mode: 0o700 });
    await mkdir(scratchDir, { recursive: true, mode: 0o700 });
    await volume.format(key);
    await volume.open(key);
  } finally {
    key.fill(0);
  }
  await volume.mkfsAndMount();
  await chmod(scratchDir, 0o700);
  logger.info('scratch volume mounted', { device: volume.plan.device, keyId, sizeMiB: config.sizeMiB });
  return {
    async close() {
      await volume.unmount();
      await volume.close();
      logger.info('scratch volume closed', { device: volume.plan.device });
    },
  };
}
