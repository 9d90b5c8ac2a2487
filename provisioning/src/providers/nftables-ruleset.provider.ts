// NftablesRuleset: a ruleset file under /etc/nftables.d, checked with `nft -c -f` before it is
// loaded with `nft -f`. A ruleset that fails the check is removed again and never loaded.
import type * as pulumi from '@pulumi/pulumi';
import { executorFor } from '../host/executor-for.ts';
import {
  HostCommandError,
  runChecked,
  type HostConnection,
  type HostExecutor,
} from '../host/host-executor.ts';
import { shellQuote } from '../host/shell-quote.ts';
import { changedKeys, hostKey, sha256 } from './provider-kit.ts';

export interface NftablesRulesetInputs {
  connection: HostConnection;
  /** File name under /etc/nftables.d (without .nft). */
  name: string;
  /** The table the ruleset owns (deleted on delete). */
  table: string;
  ruleset: string;
}

export interface NftablesRulesetOutputs {
  connection: HostConnection;
  name: string;
  table: string;
  path: string;
  sha256: string;
}

export function rulesetPath(name: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name)) throw new Error(`bad ruleset name: ${name}`);
  return `/etc/nftables.d/${name}.nft`;
}

async function load(executor: HostExecutor, inputs: NftablesRulesetInputs): Promise<void> {
  const path = rulesetPath(inputs.name);
  await executor.putFile(path, inputs.ruleset, { mode: 0o600, owner: 'root:root' });
  const file = shellQuote(executor.hostPath(path));
  const check = await executor.run(`nft -c -f ${file}`);
  if (check.code !== 0) {
    await executor.removeFile(path);
    throw new HostCommandError(`nft -c -f ${path}`, check);
  }
  await runChecked(executor, `nft -f ${file}`);
}

function outputs(inputs: NftablesRulesetInputs): NftablesRulesetOutputs {
  return {
    connection: inputs.connection,
    name: inputs.name,
    table: inputs.table,
    path: rulesetPath(inputs.name),
    sha256: sha256(inputs.ruleset),
  };
}

export const nftablesRulesetProvider = {
  async create(inputs: NftablesRulesetInputs): Promise<pulumi.dynamic.CreateResult<NftablesRulesetOutputs>> {
    await load(executorFor(inputs.connection), inputs);
    return { id: `${hostKey(inputs.connection)}:${inputs.name}`, outs: outputs(inputs) };
  },

  diff(
    _id: string,
    olds: NftablesRulesetOutputs,
    news: NftablesRulesetInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    const replaces = changedKeys(olds, news, ['connection', 'name', 'table']);
    const changed: string[] = [...replaces];
    if (olds.sha256 !== sha256(news.ruleset)) changed.push('ruleset');
    return Promise.resolve({ changes: changed.length > 0, replaces, deleteBeforeReplace: true });
  },

  async update(
    _id: string,
    _olds: NftablesRulesetOutputs,
    news: NftablesRulesetInputs,
  ): Promise<pulumi.dynamic.UpdateResult<NftablesRulesetOutputs>> {
    // The file replaces its own table in one transaction: no window without rules.
    await load(executorFor(news.connection), news);
    return { outs: outputs(news) };
  },

  async delete(_id: string, olds: NftablesRulesetOutputs): Promise<void> {
    const executor = executorFor(olds.connection);
    const result = await executor.run(`nft delete table inet ${shellQuote(olds.table)}`);
    if (result.code !== 0 && !/No such file or directory/i.test(result.stderr)) {
      throw new HostCommandError(`nft delete table inet ${olds.table}`, result);
    }
    await executor.removeFile(olds.path);
  },
};
