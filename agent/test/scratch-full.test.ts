import { FailureKind, TaskFailureCode } from '@enclave/contracts';
import { hardError } from '@enclave/gpu-node';
import { describe, expect, it } from 'vitest';
import { AssetTransferError } from '../src/assets/asset-transfer.errors.ts';
import { isScratchFull, scratchFullFailure } from '../src/runner/scratch-full.ts';

const errno = (code: string) => Object.assign(new Error(`${code}: write failed`), { code });

describe('isScratchFull', () => {
  it('finds ENOSPC/EDQUOT on the error or anywhere in its cause chain', () => {
    expect(isScratchFull(errno('ENOSPC'))).toBe(true);
    expect(isScratchFull(errno('EDQUOT'))).toBe(true);
    const wrapped = new AssetTransferError(
      TaskFailureCode.DECRYPTION_FAILED,
      FailureKind.Hard,
      'does not decrypt',
      {
        cause: errno('ENOSPC'),
      },
    );
    expect(isScratchFull(wrapped)).toBe(true);
  });

  it("reads a step tool's stderr tail (its diagnostics), not its message", () => {
    const full = hardError(
      TaskFailureCode.STEP_FAILED,
      'ffmpeg failed during transcode (exit code 1)',
      'av_interleaved_write_frame(): No space left on device',
    );
    expect(isScratchFull(full.atStep(0, 'video.transcode'))).toBe(true);
    const other = hardError(
      TaskFailureCode.STEP_FAILED,
      'ffmpeg failed',
      'Invalid data found when processing input',
    );
    expect(isScratchFull(other)).toBe(false);
  });

  it('is false for everything else', () => {
    expect(isScratchFull(errno('EACCES'))).toBe(false);
    expect(isScratchFull(new Error('No space left on device'))).toBe(false); // a message is not an errno
    expect(isScratchFull('ENOSPC')).toBe(false);
    expect(isScratchFull(undefined)).toBe(false);
  });
});

describe('scratchFullFailure', () => {
  it('is a soft RESOURCES_EXHAUSTED that names the stage and the step', () => {
    expect(scratchFullFailure('step 0 (video.transcode)', { index: 0, name: 'video.transcode' })).toEqual({
      ok: false,
      failure: FailureKind.Soft,
      code: TaskFailureCode.RESOURCES_EXHAUSTED,
      message:
        "the node's scratch volume is full (ENOSPC) during step 0 (video.transcode); the task's scratch was wiped and the task handed back",
      step: { index: 0, name: 'video.transcode' },
    });
    expect(scratchFullFailure('the input decryption')).not.toHaveProperty('step');
  });
});
