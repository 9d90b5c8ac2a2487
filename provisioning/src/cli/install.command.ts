// `enclave install --inventory FILE`: validate the inventory, then run the Pulumi program with
// the Automation API (LocalWorkspace, local file backend, passphrase-encrypted secrets). Exit 2
// for anything the operator must fix before a run (usage, inventory, missing Pulumi CLI).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InventoryError, parseInventory } from '../inventory/inventory.parser.ts';
import type { Inventory } from '../inventory/inventory.schema.ts';
import { findOnPath } from './find-on-path.ts';

export const INSTALL_USAGE =
  'usage: enclave install --inventory FILE [--state-dir DIR] [--known-hosts FILE] [--preview] [--token-source ca-dir|api] [--token-generation N]';

export const PULUMI_MISSING =
  "enclave install: the Pulumi CLI ('pulumi', version 3.x) is not on PATH; `enclave install` drives it through the Automation API.\n" +
  'Get it: https://www.pulumi.com/docs/iac/download-install/ (offline site: copy pulumi-v3.<x>-linux-x64.tar.gz from the release media,\n' +
  '`tar -xzf pulumi-v3.<x>-linux-x64.tar.gz -C /opt` and `export PATH=/opt/pulumi:$PATH`), then run the same command again.\n';

export interface InstallIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

export async function runInstall(argv: readonly string[], io: InstallIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        inventory: { type: 'string' },
        'state-dir': { type: 'string' },
        'known-hosts': { type: 'string' },
        'token-source': { type: 'string' },
        'token-generation': { type: 'string' },
        preview: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`enclave install: ${(error as Error).message}\n${INSTALL_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${INSTALL_USAGE}\n`);
    return 0;
  }
  try {
    if (!values.inventory) throw new UsageError('--inventory FILE is required');
    const tokenSource = values['token-source'] ?? 'ca-dir';
    if (tokenSource !== 'ca-dir' && tokenSource !== 'api')
      throw new UsageError('--token-source must be ca-dir or api');
    const generationText = values['token-generation'] ?? '1';
    if (!/^[1-9]\d{0,5}$/.test(generationText))
      throw new UsageError('--token-generation must be a positive integer');
    const file = resolve(values.inventory);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read the inventory ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    const inventory = parseInventory(text, values.inventory);
    const pulumiBin = findOnPath('pulumi', io.env.PATH);
    if (!pulumiBin) {
      io.stderr(
        `The inventory is valid (${inventory.hosts.length} hosts, ${inventory.mode} mode).\n${PULUMI_MISSING}`,
      );
      return 2;
    }
    if (!io.env.PULUMI_CONFIG_PASSPHRASE && !io.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
      throw new UsageError(
        'set PULUMI_CONFIG_PASSPHRASE_FILE to a root-only file holding the passphrase that encrypts the secrets (enrollment tokens) in the install state',
      );
    }
    if (tokenSource === 'api' && !io.env.ENCLAVE_API_TOKEN) {
      throw new UsageError('--token-source api needs ENCLAVE_API_TOKEN (an IT admin API token)');
    }
    const stateDir = resolve(values['state-dir'] ?? '/var/lib/enclave-install/state');
    return await runPulumi(inventory, {
      stateDir,
      preview: values.preview === true,
      tokenSource,
      tokenGeneration: Number(generationText),
      ...(values['known-hosts'] ? { knownHostsFile: resolve(values['known-hosts']) } : {}),
      io,
    });
  } catch (error) {
    if (error instanceof InventoryError) {
      io.stderr(`enclave install: invalid inventory: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`enclave install: ${error.message}\n${INSTALL_USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

interface RunOptions {
  stateDir: string;
  preview: boolean;
  tokenSource: 'ca-dir' | 'api';
  tokenGeneration: number;
  knownHostsFile?: string;
  io: InstallIo;
}

async function runPulumi(inventory: Inventory, options: RunOptions): Promise<number> {
  const { mkdir } = await import('node:fs/promises');
  const { LocalWorkspace } = await import('@pulumi/pulumi/automation/index.js');
  const pulumi = await import('@pulumi/pulumi');
  const { applianceProgram } = await import('../program.ts');
  const { CONTROL_PLANE_PATHS } = await import('../render/control-plane.render.ts');
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const apiToken = options.io.env.ENCLAVE_API_TOKEN;
  const controlPlaneHost = inventory.hosts.find((h) => h.roles.includes('control-plane'));
  const program = () => {
    const { outputs } = applianceProgram(inventory, {
      tokenGeneration: options.tokenGeneration,
      ...(options.knownHostsFile ? { knownHostsFile: options.knownHostsFile } : {}),
      ...(options.tokenSource === 'api' && controlPlaneHost
        ? {
            tokenSource: {
              kind: 'api' as const,
              // The API listens on the host's address (ENCLAVE_BIND), not on loopback.
              baseUrl: `https://${controlPlaneHost.address.includes(':') ? `[${controlPlaneHost.address}]` : controlPlaneHost.address}:${inventory.appliance.apiPort}`,
              caFile: `${CONTROL_PLANE_PATHS.caDir}/root.cert.pem`,
            },
            ...(apiToken ? { apiToken: pulumi.secret(apiToken) } : {}),
          }
        : {}),
    });
    return Promise.resolve(outputs);
  };
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: inventory.appliance.name, projectName: 'enclave-appliance', program },
    {
      projectSettings: {
        name: 'enclave-appliance',
        runtime: 'nodejs',
        backend: { url: `file://${options.stateDir}` },
      },
      secretsProvider: 'passphrase',
      envVars: { PULUMI_SKIP_UPDATE_CHECK: 'true', PULUMI_DIY_BACKEND_URL: `file://${options.stateDir}` },
    },
  );
  const onOutput = (text: string) => options.io.stdout(text);
  if (options.preview) {
    await stack.preview({ onOutput });
    return 0;
  }
  const result = await stack.up({ onOutput });
  options.io.stdout(`\n${result.summary.result}: ${JSON.stringify(result.summary.resourceChanges ?? {})}\n`);
  return result.summary.result === 'succeeded' ? 0 : 1;
}
