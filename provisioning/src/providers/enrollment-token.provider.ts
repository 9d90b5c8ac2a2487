// EnrollmentToken: a single-use enrollment token made on the appliance, where the CA lives. The
// program never sees a CA key; the token is an output the resource marks secret (encrypted in
// state). Two sources, both run on the control-plane host through the executor:
// - `ca-dir`: `enclave token create --dir CA_DIR` (the initial install: tokens are made before
//   the control plane first starts and imports the directory's records into SQLite);
// - `api`: `POST /api/v1/nodes/enrollment-tokens` with curl and an IT admin's API token (nodes
//   added once the control plane runs; its database is then the record).
import { parseEnrollmentToken } from '@enclave/certs';
import type * as pulumi from '@pulumi/pulumi';
import { executorFor } from '../host/executor-for.ts';
import { runChecked, type HostConnection, type HostExecutor } from '../host/host-executor.ts';
import { shellJoin, shellQuote } from '../host/shell-quote.ts';
import { changedKeys, hostKey } from './provider-kit.ts';

export type TokenSource =
  { kind: 'ca-dir'; enclaveBin: string; caDir: string } | { kind: 'api'; baseUrl: string; caFile: string };

export interface EnrollmentTokenInputs {
  /** The control-plane host. */
  connection: HostConnection;
  source: TokenSource;
  /** IT admin API token, for the `api` source only (a Pulumi secret; sent on stdin). */
  apiToken?: string;
  node: string;
  profile: 'node' | 'broker' | 'control-plane';
  ttlHours: number;
  serverAuth: boolean;
  dnsNames: string[];
  ipAddresses: string[];
  /** Bump to issue a fresh token (re-enrolling a node). */
  generation: number;
}

export interface EnrollmentTokenOutputs extends EnrollmentTokenInputs {
  token: string;
}

export function tokenCreateArgs(inputs: EnrollmentTokenInputs, enclaveBin: string, caDir: string): string[] {
  const args = [
    enclaveBin,
    'token',
    'create',
    '--dir',
    caDir,
    '--node',
    inputs.node,
    '--profile',
    inputs.profile,
  ];
  args.push('--ttl-hours', String(inputs.ttlHours), '--actor', 'provisioning');
  if (inputs.serverAuth) args.push('--server-auth');
  for (const dns of inputs.dnsNames) args.push('--dns', dns);
  for (const ip of inputs.ipAddresses) args.push('--ip', ip);
  return args;
}

async function viaApi(
  executor: HostExecutor,
  inputs: EnrollmentTokenInputs,
  baseUrl: string,
  caFile: string,
): Promise<string> {
  if (inputs.profile !== 'node')
    throw new Error(`the api token source makes node tokens only, not '${inputs.profile}'`);
  if (!inputs.apiToken) throw new Error('the api token source needs apiToken (an IT admin API token)');
  const body = JSON.stringify({ nodeId: inputs.node, ttlHours: inputs.ttlHours });
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/nodes/enrollment-tokens`;
  // The bearer token travels on stdin (`-H @-`), never on a command line (visible in ps).
  const command = [
    'curl --silent --show-error --fail-with-body --proto =https --tlsv1.3',
    `--cacert ${shellQuote(executor.hostPath(caFile))}`,
    "-H 'Content-Type: application/json' -H @-",
    `--data ${shellQuote(body)} ${shellQuote(url)}`,
  ].join(' ');
  const stdout = await runChecked(executor, command, `Authorization: Bearer ${inputs.apiToken}\n`);
  const reply = JSON.parse(stdout) as { token?: unknown };
  if (typeof reply.token !== 'string') throw new Error('the control plane replied without a token');
  return reply.token;
}

async function issue(inputs: EnrollmentTokenInputs): Promise<EnrollmentTokenOutputs> {
  const executor = executorFor(inputs.connection);
  const source = inputs.source;
  const raw =
    source.kind === 'ca-dir'
      ? await runChecked(
          executor,
          shellJoin(tokenCreateArgs(inputs, source.enclaveBin, executor.hostPath(source.caDir))),
        )
      : await viaApi(executor, inputs, source.baseUrl, source.caFile);
  const token = raw.trim();
  // Refuse to store anything that is not one token for this node (e.g. a CLI that printed more).
  const parsed = parseEnrollmentToken(token);
  if (parsed.name !== inputs.node)
    throw new Error(`the appliance returned a token for '${parsed.name}', expected '${inputs.node}'`);
  return { ...inputs, token };
}

// The source and the API token are how a token is made, not what it is: switching from the CA
// directory to the API after the first install must not reissue every node's token.
const replacing: (keyof EnrollmentTokenInputs)[] = ['connection', 'node'];
const reissuing: (keyof EnrollmentTokenInputs)[] = [
  'profile',
  'ttlHours',
  'serverAuth',
  'dnsNames',
  'ipAddresses',
  'generation',
];

export const enrollmentTokenProvider = {
  async create(inputs: EnrollmentTokenInputs): Promise<pulumi.dynamic.CreateResult<EnrollmentTokenOutputs>> {
    const outs = await issue(inputs);
    return { id: `${hostKey(inputs.connection)}:token:${inputs.node}:${inputs.generation}`, outs };
  },

  diff(
    _id: string,
    olds: EnrollmentTokenOutputs,
    news: EnrollmentTokenInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    const replaces = changedKeys(olds, news, replacing);
    const changed = [...replaces, ...changedKeys(olds, news, reissuing)];
    return Promise.resolve({ changes: changed.length > 0, replaces, deleteBeforeReplace: false });
  },

  /** A changed profile, TTL or generation issues a new token; the old one expires unused. */
  async update(
    _id: string,
    _olds: EnrollmentTokenOutputs,
    news: EnrollmentTokenInputs,
  ): Promise<pulumi.dynamic.UpdateResult<EnrollmentTokenOutputs>> {
    return { outs: await issue(news) };
  },

  /** Tokens are single use and expire; unused ones cannot be revoked early yet (docs/operations.md). */
  delete(_id: string, _olds: EnrollmentTokenOutputs): Promise<void> {
    return Promise.resolve();
  },
};
