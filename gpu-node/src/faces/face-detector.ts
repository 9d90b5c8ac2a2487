// Face detection on raw RGB frames with face-api's own weights, on the tfjs WASM backend.
// Two choices matter for an offline node:
// - the WASM binaries are loaded from the installed @tensorflow/tfjs-backend-wasm by file path
//   (Emscripten reads them with fs); face-api's demo points at a CDN, which we never do;
// - the weights are read through the model manifest and handed to tfjs as the very bytes that
//   were hashed (face-api's loadFromDisk would re-read the files after any check we made).
// The libraries are imported on first use: they cost ~100 MB and ~0.5 s, which a process that
// imports gpu-node (the agent) should not pay; the detector runs in the face worker process.
// face-api's node-wasm build requires the same CJS @tensorflow/tfjs instance we import here.
import { join, posix, sep } from 'node:path';
import type * as FaceApi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type * as Tf from '@tensorflow/tfjs';
import { installedPackageRoot, readVerifiedModelFile } from '../models/model-store.ts';
import type { ModelSource } from '../models/model-manifest.ts';

export type DetectorKind = 'ssd' | 'tiny';

export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly score: number;
}

/** The weights manifest of each detector; its .bin files are named inside it. */
export const DETECTOR_MODELS: Readonly<Record<DetectorKind, string>> = {
  ssd: 'model/ssd_mobilenetv1_model-weights_manifest.json',
  tiny: 'model/tiny_face_detector_model-weights_manifest.json',
};

/** Tiny detector input size: 416 is face-api's default balance of speed and recall. */
const TINY_INPUT_SIZE = 416;

interface Libraries {
  readonly faceapi: typeof FaceApi;
  readonly tf: typeof Tf;
}

let libraries: Promise<Libraries> | undefined;

function wasmLibraries(): Promise<Libraries> {
  libraries ??= (async () => {
    const [faceapi, tf, wasm] = await Promise.all([
      import('@vladmandic/face-api/dist/face-api.node-wasm.js'),
      import('@tensorflow/tfjs'),
      import('@tensorflow/tfjs-backend-wasm'),
    ]);
    wasm.setWasmPaths(join(installedPackageRoot('@tensorflow/tfjs-backend-wasm'), 'dist') + sep);
    if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs WASM backend did not initialise');
    await tf.ready();
    return { faceapi, tf };
  })();
  return libraries;
}

type Net =
  | { readonly kind: 'ssd'; readonly net: FaceApi.SsdMobilenetv1 }
  | { readonly kind: 'tiny'; readonly net: FaceApi.TinyFaceDetector };

async function loadNet({ faceapi, tf }: Libraries, source: ModelSource, kind: DetectorKind): Promise<Net> {
  const manifestPath = DETECTOR_MODELS[kind];
  const weightsManifest = JSON.parse(
    (await readVerifiedModelFile(source, manifestPath)).toString('utf8'),
  ) as Tf.io.WeightsManifestConfig;
  // tfjs asks for `<prefix><path>` of each weight group; only manifest-listed paths are served.
  const load = tf.io.weightsLoaderFactory(async (paths) =>
    Promise.all(
      paths.map(async (path) => {
        const bytes = await readVerifiedModelFile(source, path);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      }),
    ),
  );
  // face-api bundles its own copy of the tfjs type declarations; the runtime objects are the same.
  const weightMap = (await load(weightsManifest, `${posix.dirname(manifestPath)}/`)) as unknown as Parameters<
    FaceApi.SsdMobilenetv1['loadFromWeightMap']
  >[0];
  if (kind === 'ssd') {
    const net = new faceapi.SsdMobilenetv1();
    net.loadFromWeightMap(weightMap);
    return { kind, net };
  }
  const net = new faceapi.TinyFaceDetector();
  net.loadFromWeightMap(weightMap);
  return { kind, net };
}

export class FaceDetector {
  private readonly tf: typeof Tf;
  private readonly nets: ReadonlyMap<DetectorKind, Net>;

  private constructor(tf: typeof Tf, nets: ReadonlyMap<DetectorKind, Net>) {
    this.tf = tf;
    this.nets = nets;
  }

  /** Verifies and loads the requested detectors; throws ModelIntegrityError on a bad file. */
  static async load(source: ModelSource, kinds: readonly DetectorKind[] = ['ssd']): Promise<FaceDetector> {
    const libs = await wasmLibraries();
    const nets = new Map<DetectorKind, Net>();
    for (const kind of new Set(kinds)) nets.set(kind, await loadNet(libs, source, kind));
    return new FaceDetector(libs.tf, nets);
  }

  /** Faces in one packed RGB24 frame, in that frame's pixel coordinates. */
  async detect(
    rgb: Uint8Array,
    width: number,
    height: number,
    options: { readonly kind: DetectorKind; readonly minConfidence: number },
  ): Promise<FaceBox[]> {
    const loaded = this.nets.get(options.kind);
    if (loaded === undefined) throw new Error(`detector ${options.kind} was not loaded`);
    if (rgb.length !== width * height * 3) throw new Error('frame size does not match its dimensions');
    const tensor = this.tf.tensor3d(rgb, [height, width, 3], 'int32');
    try {
      const found =
        loaded.kind === 'ssd'
          ? await loaded.net.locateFaces(tensor, { minConfidence: options.minConfidence, maxResults: 100 })
          : await loaded.net.locateFaces(tensor, {
              inputSize: TINY_INPUT_SIZE,
              scoreThreshold: options.minConfidence,
            });
      return found.map(({ box, score }) => ({
        x: box.x,
        y: box.y,
        width: box.width,
        height: box.height,
        score,
      }));
    } finally {
      tensor.dispose();
    }
  }
}
