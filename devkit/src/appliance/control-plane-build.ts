// `make up` runs the compiled control plane (SWC keeps the decorator metadata Nest needs; Node's
// type stripping does not). It rebuilds only when a source file is newer than dist/main.js.
import { spawn } from 'node:child_process';
import { statSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function controlPlaneDistIsStale(repoRoot: string): boolean {
  const main = join(repoRoot, 'control-plane', 'dist', 'main.js');
  let built: number;
  try {
    built = statSync(main).mtimeMs;
  } catch {
    return true;
  }
  const sources = [join(repoRoot, 'control-plane', 'src'), join(repoRoot, 'control-plane', '.swcrc')];
  return Math.max(newestMtimeMs(sources[0]!), statSync(sources[1]!).mtimeMs) > built;
}

/**
 * Builds control-plane/dist when stale; resolves with whether it built. Two launchers (the
 * devkit and agent suites under `make test`) may ask at once: one builds under a lock file, the
 * other waits and then finds dist fresh, so neither starts a control plane from half-written files.
 */
export async function ensureControlPlaneBuilt(
  repoRoot: string,
  log: (line: string) => void,
): Promise<boolean> {
  if (!controlPlaneDistIsStale(repoRoot)) return false;
  // Under .enclave/ (git-ignored), shared by every dev directory of this checkout.
  const lock = join(repoRoot, '.enclave', 'control-plane-build.lock');
  await mkdir(join(repoRoot, '.enclave'), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch {
      // Someone else builds; a lock left by a dead process is taken over after the deadline.
      if (Date.now() > deadline) await rm(lock, { force: true });
      else await sleep(500);
    }
  }
  try {
    if (!controlPlaneDistIsStale(repoRoot)) return false;
    return await build(repoRoot, log);
  } finally {
    await rm(lock, { force: true });
  }
}

async function build(repoRoot: string, log: (line: string) => void): Promise<boolean> {
  log('building the control plane (control-plane/dist is older than its sources)');
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build', '-w', '@enclave/control-plane'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    throw new Error(
      `building the control plane failed (npm run build -w @enclave/control-plane):\n${Buffer.concat(output).toString().slice(-2000)}`,
    );
  }
  return true;
}
