// LuksVolume: formats (once), opens and mounts an encrypted scratch volume by running the
// commands of render/luks.plan.ts through the executor. The key is made on the node; state
// holds only the spec. Delete erases the LUKS header (crypto-erase of the scratch data).
import type * as pulumi from '@pulumi/pulumi';
import { executorFor } from '../host/executor-for.ts';
import { runChecked, type HostConnection, type HostExecutor } from '../host/host-executor.ts';
import { planLuksCreate, planLuksDestroy, planLuksMount, type LuksVolumeSpec } from '../render/luks.plan.ts';
import { changedKeys, hostKey } from './provider-kit.ts';

export interface LuksVolumeInputs extends LuksVolumeSpec {
  connection: HostConnection;
}

async function runAll(executor: HostExecutor, commands: readonly string[]): Promise<void> {
  for (const command of commands) await runChecked(executor, command);
}

const at = (executor: HostExecutor) => (p: string) => executor.hostPath(p);

function outputs(inputs: LuksVolumeInputs): LuksVolumeInputs {
  const { connection, device, name, keyFile, mountPoint, mountOwner, wipeExisting } = inputs;
  return { connection, device, name, keyFile, mountPoint, mountOwner, wipeExisting };
}

export const luksVolumeProvider = {
  async create(inputs: LuksVolumeInputs): Promise<pulumi.dynamic.CreateResult<LuksVolumeInputs>> {
    const executor = executorFor(inputs.connection);
    await runAll(executor, planLuksCreate(inputs, at(executor)));
    return { id: `${hostKey(inputs.connection)}:luks:${inputs.name}`, outs: outputs(inputs) };
  },

  diff(_id: string, olds: LuksVolumeInputs, news: LuksVolumeInputs): Promise<pulumi.dynamic.DiffResult> {
    // A new device, key or mapper name is a new volume; owner and mount point are remounts.
    const replaces = changedKeys(olds, news, ['connection', 'device', 'name', 'keyFile']);
    const changed = [...replaces, ...changedKeys(olds, news, ['mountPoint', 'mountOwner', 'wipeExisting'])];
    return Promise.resolve({ changes: changed.length > 0, replaces, deleteBeforeReplace: true });
  },

  async update(
    _id: string,
    olds: LuksVolumeInputs,
    news: LuksVolumeInputs,
  ): Promise<pulumi.dynamic.UpdateResult<LuksVolumeInputs>> {
    const executor = executorFor(news.connection);
    if (olds.mountPoint !== news.mountPoint) {
      const old = executor.hostPath(olds.mountPoint);
      await runChecked(executor, `! mountpoint -q '${old}' || umount '${old}'`);
    }
    await runAll(executor, planLuksMount(news, at(executor)));
    return { outs: outputs(news) };
  },

  async delete(_id: string, olds: LuksVolumeInputs): Promise<void> {
    const executor = executorFor(olds.connection);
    await runAll(executor, planLuksDestroy(olds, at(executor)));
  },
};
