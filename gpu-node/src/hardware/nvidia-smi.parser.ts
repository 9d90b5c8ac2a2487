// nvidia-smi's CSV (`--format=csv,noheader,nounits`) for the columns of NVIDIA_SMI_QUERY. The
// driver prints "[N/A]" or "[Not Supported]" for what a GPU does not report (utilisation on
// some MIG or vGPU setups, temperature on passthrough).

export const NVIDIA_SMI_QUERY = [
  'index',
  'name',
  'memory.total',
  'memory.used',
  'utilization.gpu',
  'temperature.gpu',
  'driver_version',
] as const;

export interface NvidiaGpuSample {
  readonly index: number;
  readonly model: string;
  readonly vramTotalMb: number;
  readonly vramUsedMb: number;
  readonly utilisationPct: number | null;
  readonly temperatureC: number | null;
  readonly driver: string | null;
}

const MISSING = /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions)\]?$/i;

function text(field: string | undefined): string | null {
  return field === undefined || field === '' || MISSING.test(field) ? null : field;
}

function value(field: string | undefined): number | null {
  const present = text(field);
  const n = Number(present);
  return present !== null && Number.isFinite(n) ? n : null;
}

export function parseNvidiaSmiCsv(csv: string): NvidiaGpuSample[] {
  const samples: NvidiaGpuSample[] = [];
  for (const line of csv.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < NVIDIA_SMI_QUERY.length) continue;
    // A name with a comma in it spans several fields: the numeric columns are at fixed ends.
    const extra = fields.length - NVIDIA_SMI_QUERY.length;
    const index = value(fields[0]);
    const model = fields.slice(1, 2 + extra).join(', ');
    const [total, used, util, temp, driver] = fields.slice(2 + extra);
    if (index === null || model === '') continue;
    const utilisation = value(util);
    samples.push({
      index,
      model: model.slice(0, 128),
      vramTotalMb: Math.max(0, Math.round(value(total) ?? 0)),
      vramUsedMb: Math.max(0, Math.round(value(used) ?? 0)),
      utilisationPct: utilisation === null ? null : Math.min(100, Math.max(0, utilisation)),
      temperatureC: value(temp),
      driver: text(driver),
    });
  }
  return samples;
}
