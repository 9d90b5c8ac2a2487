// Per-process resource limits, applied with util-linux `prlimit` around the step's command.
// These are rlimits, not cgroups: they bound one process (and are inherited by its children),
// not the task's memory as a whole. A cgroup (systemd scope) is the node OS's job; see
// docs/gpu-node.md.

export interface ResourceLimits {
  /** RLIMIT_CPU: CPU seconds, summed over the process's threads. */
  readonly cpuSeconds: number;
  /**
   * RLIMIT_AS: virtual address space in bytes, or null for none. Must be null for Node/WASM
   * processes: V8 reserves (not uses) about 10 GiB of address space per WASM memory.
   */
  readonly addressSpaceBytes: number | null;
  /** RLIMIT_FSIZE: the largest file the process may write. */
  readonly fileSizeBytes: number;
  /** RLIMIT_NOFILE. */
  readonly openFiles: number;
}

const GiB = 1024 ** 3;

export const DEFAULT_LIMITS: ResourceLimits = {
  cpuSeconds: 4 * 3600,
  addressSpaceBytes: 16 * GiB,
  fileSizeBytes: 32 * GiB,
  openFiles: 1024,
};

export function prlimitArgs(limits: ResourceLimits): string[] {
  const args = [
    `--cpu=${Math.ceil(limits.cpuSeconds)}`,
    `--fsize=${Math.floor(limits.fileSizeBytes)}`,
    `--nofile=${Math.floor(limits.openFiles)}`,
  ];
  if (limits.addressSpaceBytes !== null) args.push(`--as=${Math.floor(limits.addressSpaceBytes)}`);
  return args;
}
