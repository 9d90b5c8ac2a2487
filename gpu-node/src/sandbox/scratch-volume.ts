// The node's scratch as a LUKS2 volume on a loop file (issue #6 item 5): plaintext of running
// tasks only ever reaches the disk encrypted, and the volume key lives in the agent's memory
// only (fetched from the control plane at start). The key goes to cryptsetup on stdin
// (`--key-file -`), never as an argument (visible in /proc) nor a file.
//
// `planScratchVolume` is pure (what would run, for tests and for `--dry-run` style logging);
// `ScratchVolume` runs it through gpu-node's process runner. The commands need root and a
// kernel with device-mapper (dm-crypt); cryptsetup attaches the loop device itself.
//
// The key is 32 random bytes, not a passphrase, so the keyslot uses PBKDF2 at the minimum
// iteration count: stretching a 256-bit random key adds nothing, while LUKS2's default Argon2id
// would want about a GiB of memory and seconds at every start.
import { open } from 'node:fs/promises';
import type { ProcessRunner } from '../process/process-runner.ts';

export interface PlannedCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** The volume key is written to the command's stdin. */
  readonly keyOnStdin: boolean;
}

export interface ScratchVolumeOptions {
  /** The loop file that holds the LUKS2 container (created sparse at `sizeBytes`). */
  readonly backingFile: string;
  readonly sizeBytes: number;
  /** The device-mapper name: /dev/mapper/<name>. */
  readonly name: string;
  /** Where the opened volume is mounted: the agent's scratchDir. */
  readonly mountPoint: string;
  readonly tools?: Partial<Record<'cryptsetup' | 'mkfs' | 'mount' | 'umount', string>>;
}

export interface ScratchVolumePlan {
  /** Once per volume (or after a key change): a new LUKS2 header, then a filesystem. */
  readonly format: readonly PlannedCommand[];
  readonly mkfs: readonly PlannedCommand[];
  /** At every agent start. */
  readonly open: readonly PlannedCommand[];
  readonly mount: readonly PlannedCommand[];
  readonly unmount: readonly PlannedCommand[];
  readonly close: readonly PlannedCommand[];
  readonly device: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,47}$/;
export const SCRATCH_KEY_BYTES = 32;

export function planScratchVolume(options: ScratchVolumeOptions): ScratchVolumePlan {
  if (!NAME.test(options.name))
    throw new Error(`volume name "${options.name}" must be 1–48 of a-z, 0-9, _ and -`);
  if (!options.backingFile.startsWith('/') || !options.mountPoint.startsWith('/'))
    throw new Error('backingFile and mountPoint must be absolute paths');
  const tool = {
    cryptsetup: 'cryptsetup',
    mkfs: 'mkfs.ext4',
    mount: 'mount',
    umount: 'umount',
    ...options.tools,
  };
  const device = `/dev/mapper/${options.name}`;
  const cmd = (command: string, args: string[], keyOnStdin = false): PlannedCommand => ({
    command,
    args,
    keyOnStdin,
  });
  return {
    device,
    format: [
      cmd(
        tool.cryptsetup,
        [
          'luksFormat',
          '--type',
          'luks2',
          '--batch-mode',
          '--cipher',
          'aes-xts-plain64',
          '--key-size',
          '512',
          '--pbkdf',
          'pbkdf2',
          '--pbkdf-force-iterations',
          '1000',
          '--key-file',
          '-',
          options.backingFile,
        ],
        true,
      ),
    ],
    mkfs: [cmd(tool.mkfs, ['-q', '-F', '-m', '0', device])],
    open: [
      cmd(
        tool.cryptsetup,
        ['open', '--type', 'luks2', '--key-file', '-', options.backingFile, options.name],
        true,
      ),
    ],
    mount: [cmd(tool.mount, ['-o', 'nodev,nosuid', device, options.mountPoint])],
    unmount: [cmd(tool.umount, [options.mountPoint])],
    close: [cmd(tool.cryptsetup, ['close', options.name])],
  };
}

export class ScratchVolumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScratchVolumeError';
  }
}

export class ScratchVolume {
  readonly plan: ScratchVolumePlan;
  readonly #options: ScratchVolumeOptions;
  readonly #runner: ProcessRunner;

  constructor(options: ScratchVolumeOptions, runner: ProcessRunner) {
    this.#options = options;
    this.plan = planScratchVolume(options);
    this.#runner = runner;
  }

  /** A new sparse backing file and LUKS2 header under `key` (destroys what the file held). */
  async format(key: Uint8Array): Promise<void> {
    assertKey(key);
    const file = await open(this.#options.backingFile, 'w', 0o600);
    try {
      await file.truncate(this.#options.sizeBytes);
    } finally {
      await file.close();
    }
    await this.#runAll(this.plan.format, key);
  }

  async open(key: Uint8Array): Promise<string> {
    assertKey(key);
    await this.#runAll(this.plan.open, key);
    return this.plan.device;
  }

  /** A fresh filesystem on the opened volume, mounted at the scratch root. */
  async mkfsAndMount(): Promise<void> {
    await this.#runAll(this.plan.mkfs);
    await this.#runAll(this.plan.mount);
  }

  async mount(): Promise<void> {
    await this.#runAll(this.plan.mount);
  }

  async unmount(): Promise<void> {
    await this.#runAll(this.plan.unmount);
  }

  async close(): Promise<void> {
    await this.#runAll(this.plan.close);
  }

  async #runAll(commands: readonly PlannedCommand[], key?: Uint8Array): Promise<void> {
    for (const step of commands) {
      const running = this.#runner.start({
        command: step.command,
        args: step.args,
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
        stdin: step.keyOnStdin ? 'pipe' : 'ignore',
        timeoutMs: 60_000,
      });
      if (step.keyOnStdin) {
        if (key === undefined) throw new ScratchVolumeError(`${step.command} needs the volume key`);
        running.stdin?.end(Buffer.from(key));
      }
      let stderr = '';
      running.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
      });
      running.stdout.resume();
      const exit = await running.exited;
      if (exit.code !== 0)
        throw new ScratchVolumeError(
          `${step.command} ${step.args[0] ?? ''} failed (exit ${String(exit.code ?? exit.signal)}): ${stderr.trim()}`,
        );
    }
  }
}

function assertKey(key: Uint8Array): void {
  if (key.length !== SCRATCH_KEY_BYTES)
    throw new ScratchVolumeError(
      `the scratch volume key must be ${SCRATCH_KEY_BYTES} bytes, not ${key.length}`,
    );
}
