// HostCertificate: a certificate and key issued ON the host that holds the CA (the control
// plane) by its own CLI (`enclave cert issue`), for that host's own use (its TLS server, its
// Kafka client). The key is made there and never leaves it; state holds the inputs only. Create
// is idempotent: an existing cert.pem in the directory is kept (a retried `up` issues nothing).
import type * as pulumi from '@pulumi/pulumi';
import { executorFor } from '../host/executor-for.ts';
import { runChecked, type HostConnection } from '../host/host-executor.ts';
import { shellJoin, shellQuote } from '../host/shell-quote.ts';
import { changedKeys, hostKey } from './provider-kit.ts';

export interface HostCertificateInputs {
  connection: HostConnection;
  enclaveBin: string;
  caDir: string;
  profile: 'control-plane' | 'broker' | 'operator';
  name: string;
  /** Directory for key.pem (0600), cert.pem, chain.pem, ca.pem. */
  outDir: string;
  /** `user:group` that must read the files (the service's user). */
  owner: string;
  serverAuth: boolean;
  dnsNames: string[];
  ipAddresses: string[];
}

export function certIssueArgs(inputs: HostCertificateInputs, caDir: string, outDir: string): string[] {
  const args = [
    inputs.enclaveBin,
    'cert',
    'issue',
    '--dir',
    caDir,
    '--profile',
    inputs.profile,
    '--name',
    inputs.name,
  ];
  args.push('--out', outDir, '--actor', 'provisioning');
  if (inputs.serverAuth) args.push('--server-auth');
  for (const dns of inputs.dnsNames) args.push('--dns', dns);
  for (const ip of inputs.ipAddresses) args.push('--ip', ip);
  return args;
}

async function issue(inputs: HostCertificateInputs): Promise<void> {
  if (!/^([a-z_][a-z0-9_-]*|\d+):([a-z_][a-z0-9_-]*|\d+)$/.test(inputs.owner))
    throw new Error(`bad owner: ${inputs.owner}`);
  const executor = executorFor(inputs.connection);
  const out = executor.hostPath(inputs.outDir);
  const issueCommand = shellJoin(certIssueArgs(inputs, executor.hostPath(inputs.caDir), out));
  await runChecked(executor, `test -s ${shellQuote(`${out}/cert.pem`)} || ${issueCommand} >/dev/null`);
  await runChecked(
    executor,
    `chown -R ${shellQuote(inputs.owner)} ${shellQuote(out)} && chmod 0700 ${shellQuote(out)}`,
  );
}

const replacing: (keyof HostCertificateInputs)[] = [
  'connection',
  'caDir',
  'profile',
  'name',
  'outDir',
  'serverAuth',
  'dnsNames',
  'ipAddresses',
];

export const hostCertificateProvider = {
  async create(inputs: HostCertificateInputs): Promise<pulumi.dynamic.CreateResult<HostCertificateInputs>> {
    await issue(inputs);
    return { id: `${hostKey(inputs.connection)}:cert:${inputs.outDir}`, outs: inputs };
  },

  diff(
    _id: string,
    olds: HostCertificateInputs,
    news: HostCertificateInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    const replaces = changedKeys(olds, news, replacing);
    const changed = [...replaces, ...changedKeys(olds, news, ['owner', 'enclaveBin'])];
    return Promise.resolve({ changes: changed.length > 0, replaces, deleteBeforeReplace: true });
  },

  /** Owner (or the CLI path) changed: re-own the files; the certificate stays. */
  async update(
    _id: string,
    _olds: HostCertificateInputs,
    news: HostCertificateInputs,
  ): Promise<pulumi.dynamic.UpdateResult<HostCertificateInputs>> {
    await issue(news);
    return { outs: news };
  },

  /** Removes the files (the key first). Revocation is the CA's business (docs/operations.md). */
  async delete(_id: string, olds: HostCertificateInputs): Promise<void> {
    const executor = executorFor(olds.connection);
    for (const file of ['key.pem', 'cert.pem', 'chain.pem', 'ca.pem'])
      await executor.removeFile(`${olds.outDir}/${file}`);
  },
};
