// The sandbox on this host, for real: a network namespace with no route (not even to our own
// loopback), a scrubbed environment, rlimits, process-group kill on abort, and refusal to run
// without isolation unless the operator allowed it.
import { once } from 'node:events';
import { mkdtemp, mkdir, rm, stat } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxRunner,
  SandboxUnavailableError,
  createSandboxRunner,
  memoryLogger,
  probeSandbox,
  processRunner,
  silentLogger,
  type SandboxWorkdir,
} from '../src/index.ts';
import { TEST_ENV } from './support/runtime.ts';

// A client that reports how its connection attempt ended: "connected" or the errno code.
const CONNECT = `
const socket = require('node:net').connect(Number(process.argv[1]), '127.0.0.1');
socket.on('connect', () => { console.log('connected'); socket.destroy(); });
socket.on('error', (error) => console.log(error.code));
`;

describe('sandbox', () => {
  let server: Server;
  let port: number;
  let root: string;
  let workdir: SandboxWorkdir;
  let sandbox: SandboxRunner;

  beforeAll(async () => {
    server = createServer((socket) => {
      socket.on('error', () => undefined); // the client hangs up at once
      socket.end('hello');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    root = await mkdtemp(join(tmpdir(), 'enclave-sandbox-'));
    workdir = { dir: root, tmpDir: join(root, 'tmp') };
    await mkdir(workdir.tmpDir);
    sandbox = await createSandboxRunner({ processRunner, logger: silentLogger });
  });

  afterAll(async () => {
    server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('found network isolation and rlimits on this host', () => {
    expect(sandbox.isolated).toBe(true);
    expect(sandbox.capabilities.network).toMatch(/^netns/);
    expect(sandbox.capabilities.resourceLimits).toBe(true);
  });

  it('gives a step process no route to a port the test is listening on', async () => {
    // Control: the same client outside the sandbox reaches the server.
    const outside = await processRunner.run({
      command: process.execPath,
      args: ['-e', CONNECT, String(port)],
      env: TEST_ENV,
    });
    expect(outside.stdout.toString().trim()).toBe('connected');
    const inside = await sandbox.run({
      command: process.execPath,
      args: ['-e', CONNECT, String(port)],
      workdir,
      limits: { addressSpaceBytes: null },
    });
    expect(inside.code).toBe(0);
    expect(inside.stdout.toString().trim()).toMatch(/^(ENETUNREACH|ECONNREFUSED)$/);
    // And bash's /dev/tcp, which does not go through Node at all.
    const bash = await sandbox.run({
      command: 'bash',
      args: ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`],
      workdir,
    });
    expect(bash.code).not.toBe(0);
    expect(bash.stderrTail).toMatch(/Network is unreachable|Connection refused/);
  });

  it('scrubs the environment: secrets in the agent are absent, HOME and TMPDIR are scratch', async () => {
    process.env['ENCLAVE_TEST_SECRET'] = 'hunter2';
    try {
      const result = await sandbox.run({ command: 'env', args: [], workdir });
      const env = Object.fromEntries(
        result.stdout
          .toString()
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      expect(env).toEqual({
        PATH: '/usr/local/bin:/usr/bin:/bin',
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
        HOME: root,
        TMPDIR: workdir.tmpDir,
      });
    } finally {
      delete process.env['ENCLAVE_TEST_SECRET'];
    }
    expect(() => sandbox.environment(workdir, { LD_PRELOAD: '/x.so' } as never)).toThrow(/may not be passed/);
  });

  it('runs in the scratch directory under the configured rlimits', async () => {
    const result = await sandbox.run({
      command: 'bash',
      args: ['-c', 'pwd; ulimit -n; ulimit -t; ulimit -v'],
      workdir,
      limits: { openFiles: 77, cpuSeconds: 33, addressSpaceBytes: 2 * 1024 ** 3 },
    });
    expect(result.stdout.toString().trim().split('\n')).toEqual([root, '77', '33', String(2 * 1024 ** 2)]);
  });

  it('kills the whole process group on abort, SIGTERM first', async () => {
    const controller = new AbortController();
    // A shell that ignores nothing, with a grandchild that would outlive a plain kill(pid).
    const running = sandbox.run({
      command: 'bash',
      args: ['-c', 'sleep 60 & echo started; wait'],
      workdir,
      signal: controller.signal,
      onStdoutLine: (line) => {
        if (line === 'started') controller.abort();
      },
    });
    const started = performance.now();
    const result = await running;
    expect(result.aborted).toBe(true);
    expect(result.signal).toBe('SIGTERM');
    expect(performance.now() - started).toBeLessThan(5_000);
    const left = await processRunner.run({ command: 'pgrep', args: ['-f', '^sleep 60$'], env: TEST_ENV });
    expect(left.stdout.toString().trim()).toBe('');
  });

  it('does not start a process at all when the task is already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await sandbox.run({
      command: 'touch',
      args: ['started'],
      workdir,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ aborted: true, code: null });
    await expect(stat(join(root, 'started'))).rejects.toThrow(/ENOENT/);
  });

  it('escalates to SIGKILL when the process ignores SIGTERM, and enforces a timeout', async () => {
    const result = await sandbox.run({
      command: 'bash',
      args: ['-c', "trap '' TERM; while true; do sleep 0.1; done"],
      workdir,
      timeoutMs: 300,
      killGraceMs: 200,
    });
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
  });
});

describe('sandbox refusal', () => {
  it('refuses to build a runner without network isolation unless the operator allowed it', async () => {
    const capabilities = await probeSandbox(processRunner, { unsharePath: '/nonexistent/unshare' });
    expect(capabilities.network).toBe('none');
    expect(() => new SandboxRunner({ capabilities, processRunner, logger: silentLogger })).toThrow(
      SandboxUnavailableError,
    );
    await expect(
      createSandboxRunner({ processRunner, logger: silentLogger, unsharePath: '/nonexistent/unshare' }),
    ).rejects.toThrow(/REFUSING TO RUN STEPS/);
  });

  it('with allowUnsandboxed, runs but says so loudly, once', async () => {
    const logger = memoryLogger();
    const capabilities = await probeSandbox(processRunner, { unsharePath: '/nonexistent/unshare' });
    const sandbox = new SandboxRunner({ capabilities, processRunner, logger, allowUnsandboxed: true });
    const result = await sandbox.run({
      command: 'true',
      args: [],
      workdir: { dir: tmpdir(), tmpDir: tmpdir() },
    });
    expect(result.code).toBe(0);
    expect(sandbox.commandLine('true', [])).not.toContain('/nonexistent/unshare');
    expect(logger.records).toEqual([
      {
        level: 'error',
        event: 'sandbox.network-isolation-disabled-by-operator',
        fields: { allowUnsandboxed: true },
      },
    ]);
  });
});
