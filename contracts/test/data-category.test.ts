// The data category of an asset (privacy §4B): outputs are derived, uploads by media type.
import { describe, expect, it } from 'vitest';
import { ALLOWED_DATA_USES, DataPurposeSchema, dataCategoryOfAsset } from '../src/index.ts';

const upload = (mediaType: string, name = 'file') => ({ origin: 'upload' as const, mediaType, name });

describe('dataCategoryOfAsset', () => {
  it.each([
    [upload('video/mp4'), 'client-footage'],
    [upload('image/jpeg', 'still.jpg'), 'client-footage'],
    [upload('image/png', 'Company-Logo.png'), 'client-brand'],
    [upload('image/svg+xml'), 'client-brand'],
    [upload('font/woff2'), 'client-brand'],
    [upload('audio/wav'), 'client-voice'],
    [upload('text/plain', 'script.txt'), 'client-prompt'],
    [{ origin: 'task' as const, mediaType: 'video/mp4', name: 'out.mp4' }, 'derived-output'],
  ])('%o → %s', (asset, category) => {
    expect(dataCategoryOfAsset(asset)).toBe(category);
  });

  it('allows production only', () => {
    expect(ALLOWED_DATA_USES).toEqual(['production']);
    expect(DataPurposeSchema.safeParse('training').success).toBe(true); // declared, then refused with 403
    expect(DataPurposeSchema.safeParse('research').success).toBe(false);
  });
});
