// Asking the NVIDIA driver about its GPUs. Absent nvidia-smi (a CPU-only node) is not an error:
// the answer is "no NVIDIA GPUs we can see".
import type { ProcessRunner } from '../process/process-runner.ts';
import { NVIDIA_SMI_QUERY, parseNvidiaSmiCsv, type NvidiaGpuSample } from './nvidia-smi.parser.ts';

export interface NvidiaSmi {
  /** null when nvidia-smi is not installed or the driver does not answer. */
  query(): Promise<NvidiaGpuSample[] | null>;
}

export function nvidiaSmi(runner: ProcessRunner, command = 'nvidia-smi'): NvidiaSmi {
  return {
    async query() {
      try {
        const result = await runner.run({
          command,
          args: [`--query-gpu=${NVIDIA_SMI_QUERY.join(',')}`, '--format=csv,noheader,nounits'],
          env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' },
          timeoutMs: 10_000,
        });
        return result.code === 0 ? parseNvidiaSmiCsv(result.stdout.toString('utf8')) : null;
      } catch {
        return null; // not installed
      }
    },
  };
}
