// The model manifest against the real face-api package, and a tampered copy of it.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaceDetector,
  ModelIntegrityError,
  defaultModelSource,
  readVerifiedModelFile,
  verifyModels,
  type ModelSource,
} from '../src/index.ts';

describe('model manifest', () => {
  let source: ModelSource;
  let base: string;

  /** A copy of the listed model files in a temp "package", optionally with one byte flipped. */
  async function copyOfModels(tamper?: { path: string; offset: number }): Promise<ModelSource> {
    const root = await mkdtemp(join(base, 'pkg-'));
    await mkdir(join(root, 'model'));
    for (const file of source.manifest.files)
      await copyFile(join(source.root, file.path), join(root, file.path));
    if (tamper !== undefined) {
      const bytes = await readFile(join(root, tamper.path));
      bytes[tamper.offset] = (bytes[tamper.offset] as number) ^ 0x01;
      await writeFile(join(root, tamper.path), bytes);
    }
    return { root, manifest: source.manifest };
  }

  beforeAll(async () => {
    source = await defaultModelSource();
    base = await mkdtemp(join(tmpdir(), 'enclave-models-'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('lists the installed face-api version and verifies every file the detectors load', async () => {
    const pkg = JSON.parse(await readFile(join(source.root, 'package.json'), 'utf8')) as { version: string };
    expect(source.manifest).toMatchObject({ package: '@vladmandic/face-api', version: pkg.version });
    expect(source.manifest.files.map((f) => f.path)).toEqual([
      'model/ssd_mobilenetv1_model-weights_manifest.json',
      'model/ssd_mobilenetv1_model.bin',
      'model/tiny_face_detector_model-weights_manifest.json',
      'model/tiny_face_detector_model.bin',
    ]);
    expect(await verifyModels(source)).toEqual({ files: 4, bytes: 5_841_730 });
  });

  it('refuses a copy with one flipped bit, naming the file and the hashes', async () => {
    const tampered = await copyOfModels({ path: 'model/ssd_mobilenetv1_model.bin', offset: 4096 });
    const failure = verifyModels(tampered);
    await expect(failure).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(failure).rejects.toThrow(
      /refusing model file model\/ssd_mobilenetv1_model\.bin: SHA-256 [0-9a-f]{12}… does not match the manifest's 2835640602d5…/,
    );
    // And the detector will not load from it, while the untouched tiny model still loads.
    await expect(FaceDetector.load(tampered, ['ssd'])).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(FaceDetector.load(tampered, ['tiny'])).resolves.toBeInstanceOf(FaceDetector);
  });

  it('refuses a missing file, a truncated file and a file the manifest does not list', async () => {
    const copy = await copyOfModels();
    await rm(join(copy.root, 'model/tiny_face_detector_model.bin'));
    await expect(verifyModels(copy)).rejects.toThrow(
      /model\/tiny_face_detector_model\.bin: it cannot be read \(ENOENT\)/,
    );
    await writeFile(join(copy.root, 'model/tiny_face_detector_model.bin'), 'short');
    await expect(verifyModels(copy)).rejects.toThrow(/size 5 bytes, manifest says 193321/);
    await expect(readVerifiedModelFile(source, 'model/age_gender_model.bin')).rejects.toThrow(
      /not listed in the model manifest/,
    );
  });
});
