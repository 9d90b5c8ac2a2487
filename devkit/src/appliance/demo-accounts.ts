// The demo tenant of a fresh single box: one tenant with an IT admin, a producer and a DPO, made
// with the control plane's admin CLI (the operator's own path) and random passwords shown once
// and kept in demo.env (0600). Then REST as that IT admin: sign-in and the node's enrollment token.
import {
  EnrollmentTokenSchema,
  LoginReplySchema,
  NodeListSchema,
  type NodeSummary,
} from '@enclave/contracts';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpsJson, sessionCookie } from './https-json.ts';

export const DEMO_TENANT = 'demo';

export interface DemoAccount {
  readonly role: 'it-admin' | 'producer' | 'dpo';
  readonly email: string;
  readonly password: string;
}

export interface DemoEnv {
  readonly url: string;
  readonly caFile: string;
  readonly tenant: string;
  readonly nodeId: string;
  readonly accounts: readonly DemoAccount[];
}

const ENV_NAMES = { 'it-admin': 'ADMIN', producer: 'PRODUCER', dpo: 'DPO' } as const;

export function newDemoAccounts(): DemoAccount[] {
  return (['it-admin', 'producer', 'dpo'] as const).map((role) => ({
    role,
    email: `${role}@demo.enclave.test`,
    password: randomBytes(18).toString('base64url'),
  }));
}

export function renderDemoEnv(demo: DemoEnv): string {
  const lines = [
    '# Written by `make up` on its first run. The passwords are shown only here; keep the file 0600.',
    '# Use: source .enclave/dev/demo.env && curl --cacert "$ENCLAVE_CA" "$ENCLAVE_URL/api/v1/health"',
    `ENCLAVE_URL=${demo.url}`,
    `ENCLAVE_CA=${demo.caFile}`,
    `ENCLAVE_TENANT=${demo.tenant}`,
    `ENCLAVE_NODE_ID=${demo.nodeId}`,
  ];
  for (const account of demo.accounts) {
    lines.push(`ENCLAVE_${ENV_NAMES[account.role]}_EMAIL=${account.email}`);
    lines.push(`ENCLAVE_${ENV_NAMES[account.role]}_PASSWORD=${account.password}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Reads the accounts back from a demo.env written by renderDemoEnv. */
export async function readDemoAccounts(file: string): Promise<DemoAccount[]> {
  const values = new Map<string, string>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (match) values.set(match[1]!, match[2]!);
  }
  return (['it-admin', 'producer', 'dpo'] as const).map((role) => {
    const email = values.get(`ENCLAVE_${ENV_NAMES[role]}_EMAIL`);
    const password = values.get(`ENCLAVE_${ENV_NAMES[role]}_PASSWORD`);
    if (!email || !password) throw new Error(`${file} has no ${role} account; delete it to make new ones`);
    return { role, email, password };
  });
}

function runAdminCli(
  repoRoot: string,
  dataDir: string,
  masterKeyFile: string,
  args: string[],
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'control-plane', 'dist', 'cli', 'admin.js'), ...args],
      {
        cwd: repoRoot,
        // The master key: accounts' email and name are sealed under keys the key ring holds.
        env: { ...process.env, ENCLAVE_DATA_DIR: dataDir, ENCLAVE_MASTER_KEY_FILE: masterKeyFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out.trim())
        : reject(new Error(`admin ${args[0]} failed: ${err.trim() || `exit ${code}`}`)),
    );
  });
}

/** The tenant and its three accounts, through `control-plane/dist/cli/admin.js`. */
export async function createDemoTenant(
  repoRoot: string,
  dataDir: string,
  masterKeyFile: string,
  accounts: readonly DemoAccount[],
): Promise<void> {
  await runAdminCli(repoRoot, dataDir, masterKeyFile, ['create-tenant', '--name', DEMO_TENANT]);
  const dir = await mkdtemp(join(tmpdir(), 'enclave-demo-'));
  try {
    for (const account of accounts) {
      const passwordFile = join(dir, `${account.role}.password`);
      await writeFile(passwordFile, `${account.password}\n`, { mode: 0o600 });
      await runAdminCli(repoRoot, dataDir, masterKeyFile, [
        'create-user',
        '--tenant',
        DEMO_TENANT,
        '--email',
        account.email,
        '--role',
        account.role,
        '--password-file',
        passwordFile,
        '--display-name',
        `Demo ${account.role}`,
      ]);
      await rm(passwordFile);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A signed-in session against the API listener. */
export class ApiSession {
  readonly #url: string;
  readonly #caPem: string;
  readonly #cookie: string;

  private constructor(url: string, caPem: string, cookie: string) {
    this.#url = url;
    this.#caPem = caPem;
    this.#cookie = cookie;
  }

  static async signIn(
    url: string,
    caPem: string,
    account: { email: string; password: string },
  ): Promise<ApiSession> {
    const reply = await httpsJson({
      url: `${url}/api/v1/auth/login`,
      caPem,
      method: 'POST',
      body: { email: account.email, password: account.password },
    });
    const cookie = sessionCookie(reply.headers);
    if (reply.status !== 200 || cookie === undefined) {
      throw new Error(
        `sign-in as ${account.email} failed: HTTP ${reply.status} ${JSON.stringify(reply.json)}`,
      );
    }
    LoginReplySchema.parse(reply.json);
    return new ApiSession(url, caPem, cookie);
  }

  /** A request with the session cookie; state-changing ones carry our own Origin (CSRF check). */
  call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return httpsJson({
      url: `${this.#url}${path}`,
      caPem: this.#caPem,
      method,
      body,
      headers: {
        cookie: `__Host-enclave_session=${this.#cookie}`,
        ...(method === 'GET' ? {} : { origin: new URL(this.#url).origin }),
        ...headers,
      },
      timeoutMs: 120_000,
    });
  }

  async enrollmentToken(nodeId: string): Promise<string> {
    const reply = await this.call('POST', '/api/v1/nodes/enrollment-tokens', { nodeId });
    if (reply.status !== 201) {
      throw new Error(
        `creating the enrollment token for ${nodeId} failed: HTTP ${reply.status} ${JSON.stringify(reply.json)}`,
      );
    }
    return EnrollmentTokenSchema.parse(reply.json).token;
  }

  async node(nodeId: string): Promise<NodeSummary | undefined> {
    const reply = await this.call('GET', '/api/v1/nodes');
    if (reply.status !== 200) throw new Error(`listing nodes failed: HTTP ${reply.status}`);
    return NodeListSchema.parse(reply.json).items.find((node) => node.nodeId === nodeId);
  }
}
