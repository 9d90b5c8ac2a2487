// SystemdUnit: a unit file under /etc/systemd/system, enabled and started (or not). An update
// restarts a started unit so that a changed unit or configuration takes effect.
import type * as pulumi from '@pulumi/pulumi';
import { executorFor } from '../host/executor-for.ts';
import { runChecked, type HostConnection, type HostExecutor } from '../host/host-executor.ts';
import { shellQuote } from '../host/shell-quote.ts';
import { changedKeys, hostKey, sha256 } from './provider-kit.ts';

export interface SystemdUnitInputs {
  connection: HostConnection;
  /** `enclave-agent.service`, `enclave-scratch.service`, ... */
  name: string;
  content: string;
  enable: boolean;
  start: boolean;
}

export interface SystemdUnitOutputs {
  connection: HostConnection;
  name: string;
  enable: boolean;
  start: boolean;
  path: string;
  sha256: string;
}

const UNIT_NAME = /^[A-Za-z0-9@._-]+\.(service|timer|mount|target|path|socket)$/;

export function unitPath(name: string): string {
  if (!UNIT_NAME.test(name)) throw new Error(`not a systemd unit name: ${name}`);
  return `/etc/systemd/system/${name}`;
}

function outputs(inputs: SystemdUnitInputs): SystemdUnitOutputs {
  return {
    connection: inputs.connection,
    name: inputs.name,
    enable: inputs.enable,
    start: inputs.start,
    path: unitPath(inputs.name),
    sha256: sha256(inputs.content),
  };
}

async function install(executor: HostExecutor, inputs: SystemdUnitInputs, restart: boolean): Promise<void> {
  const name = shellQuote(inputs.name);
  await executor.putFile(unitPath(inputs.name), inputs.content, { mode: 0o644, owner: 'root:root' });
  await runChecked(executor, 'systemctl daemon-reload');
  await runChecked(executor, inputs.enable ? `systemctl enable ${name}` : `systemctl disable ${name}`);
  if (inputs.start)
    await runChecked(executor, restart ? `systemctl restart ${name}` : `systemctl start ${name}`);
  else await runChecked(executor, `systemctl stop ${name}`);
}

export const systemdUnitProvider = {
  async create(inputs: SystemdUnitInputs): Promise<pulumi.dynamic.CreateResult<SystemdUnitOutputs>> {
    await install(executorFor(inputs.connection), inputs, false);
    return { id: `${hostKey(inputs.connection)}:${inputs.name}`, outs: outputs(inputs) };
  },

  diff(_id: string, olds: SystemdUnitOutputs, news: SystemdUnitInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = changedKeys(olds, news, ['connection', 'name']);
    const changed: string[] = [...replaces, ...changedKeys(olds, news, ['enable', 'start'])];
    if (olds.sha256 !== sha256(news.content)) changed.push('content');
    return Promise.resolve({ changes: changed.length > 0, replaces, deleteBeforeReplace: true });
  },

  async update(
    _id: string,
    _olds: SystemdUnitOutputs,
    news: SystemdUnitInputs,
  ): Promise<pulumi.dynamic.UpdateResult<SystemdUnitOutputs>> {
    await install(executorFor(news.connection), news, true);
    return { outs: outputs(news) };
  },

  async delete(_id: string, olds: SystemdUnitOutputs): Promise<void> {
    const executor = executorFor(olds.connection);
    const name = shellQuote(olds.name);
    // A unit already gone is fine: delete must converge.
    await executor.run(`systemctl disable --now ${name}`);
    await executor.removeFile(unitPath(olds.name));
    await runChecked(executor, 'systemctl daemon-reload');
  },
};
