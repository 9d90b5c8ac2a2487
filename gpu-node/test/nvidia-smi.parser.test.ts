// nvidia-smi CSV parsing, on lines in the format drivers 535/550 print for our query (written
// from the documented format; no GPU was available to capture them on this machine).
import { describe, expect, it } from 'vitest';
import { parseNvidiaSmiCsv } from '../src/hardware/nvidia-smi.parser.ts';

describe('parseNvidiaSmiCsv', () => {
  it('reads one row per GPU (H200, driver 550)', () => {
    const csv = [
      '0, NVIDIA H200, 143771, 1, 0, 31, 550.54.15',
      '1, NVIDIA H200, 143771, 81234, 97, 67, 550.54.15',
      '',
    ].join('\n');
    expect(parseNvidiaSmiCsv(csv)).toEqual([
      {
        index: 0,
        model: 'NVIDIA H200',
        vramTotalMb: 143771,
        vramUsedMb: 1,
        utilisationPct: 0,
        temperatureC: 31,
        driver: '550.54.15',
      },
      {
        index: 1,
        model: 'NVIDIA H200',
        vramTotalMb: 143771,
        vramUsedMb: 81234,
        utilisationPct: 97,
        temperatureC: 67,
        driver: '550.54.15',
      },
    ]);
  });

  it('maps [N/A] and [Not Supported] (MIG, vGPU, passthrough) to null', () => {
    const [gpu] = parseNvidiaSmiCsv(
      '0, NVIDIA A100-SXM4-80GB, 81920, 0, [N/A], [Not Supported], 535.104.05\r\n',
    );
    expect(gpu).toMatchObject({ utilisationPct: null, temperatureC: null, vramTotalMb: 81920 });
  });

  it('keeps a GPU name that contains a comma', () => {
    const [gpu] = parseNvidiaSmiCsv('3, Quadro RTX 6000, Rev. B, 24576, 512, 12, 40, 535.54');
    expect(gpu).toMatchObject({
      index: 3,
      model: 'Quadro RTX 6000, Rev. B',
      vramUsedMb: 512,
      driver: '535.54',
    });
  });

  it('skips lines it cannot read instead of inventing GPUs', () => {
    expect(
      parseNvidiaSmiCsv('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'),
    ).toEqual([]);
    expect(parseNvidiaSmiCsv('')).toEqual([]);
  });
});
