// Entry point of the face worker: `node faces-worker.ts '<config json>'`, started by the
// faces.anonymise step through the sandbox. It runs as a separate process for two reasons: the
// detector and its ffmpeg pair then sit inside the sandbox (no network, rlimits), and the WASM
// inference, which blocks its thread for hundreds of milliseconds per frame, never stalls the
// agent's heartbeats. stdout carries only protocol lines; anything a library prints goes to stderr.
import { check } from '@enclave/contracts';
import { FacesWorkerConfigSchema, type FacesWorkerEvent } from './faces-worker-protocol.ts';

const emit = (event: FacesWorkerEvent): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

async function main(): Promise<void> {
  // Libraries may log to stdout; the protocol owns it.
  console.log = console.info = console.warn = (...args: unknown[]) => console.error(...args);
  const parsed = check(FacesWorkerConfigSchema, JSON.parse(process.argv[2] ?? 'null'));
  if (!parsed.success) throw new Error(`bad worker configuration: ${parsed.issues[0]?.path ?? ''}`);
  const config = parsed.data;
  // Imported after the console is redirected: tfjs may print on load.
  const [{ FaceDetector }, { anonymiseMedia }, { processRunner }] = await Promise.all([
    import('./face-detector.ts'),
    import('./faces-pipeline.ts'),
    import('../process/process-runner.ts'),
  ]);
  const started = performance.now();
  const detector = await FaceDetector.load({ root: config.modelRoot, manifest: config.manifest }, [
    config.detector,
  ]);
  emit({ event: 'ready', loadMs: Math.round(performance.now() - started) });
  // The sandbox already scrubbed this environment; the ffmpeg pair gets the same.
  const env = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  for (let index = 0; index < config.jobs.length; index++) {
    const result = await anonymiseMedia(processRunner, env, detector, config, index, emit);
    emit({ event: 'done', job: index, ...result });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // The message names a stage or a model file, never content.
    process.stderr.write(`faces worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof Error && error.name === 'ModelIntegrityError' ? 3 : 1);
  },
);
