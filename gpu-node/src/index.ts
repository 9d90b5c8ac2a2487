// @enclave/gpu-node: what runs on a node besides the agent's link — hardware discovery and
// telemetry, the step library, the sandbox and scratch space, the model manifest check.
// See docs/gpu-node.md.

export {
  startNodeRuntime,
  type NodeRuntime,
  type NodeRuntimeOptions,
  type TaskSession,
} from './node-runtime.ts';

export {
  runPipeline,
  runStep,
  planPipeline,
  type PipelineContext,
  type PipelineProgress,
  type PipelineResult,
  type PlannedStep,
  type StepRun,
} from './pipeline/step-runner.ts';
export {
  StepRegistryError,
  canRunOn,
  createStepRegistry,
  supportedSteps,
  type StepRegistry,
} from './pipeline/step-registry.ts';
export {
  defineStep,
  type AnyStepDefinition,
  type StepContext,
  type StepDefinition,
  type StepFiles,
  type StepNeeds,
  type StepProgress,
} from './pipeline/step-types.ts';
export { StepError, cancelledError, hardError, softError } from './pipeline/step-error.ts';
export { TaskFiles, type TaskFile } from './pipeline/task-files.ts';
export { MEDIA_EXTENSIONS, isMediaType, type MediaType } from './pipeline/media-types.ts';
export { defaultToolPaths, type ToolPaths } from './pipeline/tool-paths.ts';
export { STEP_DEFINITIONS, stepRegistry } from './steps/index.ts';

export {
  SandboxRunner,
  SandboxUnavailableError,
  createSandboxRunner,
  PASSABLE_ENV,
} from './sandbox/sandbox-runner.ts';
export type { SandboxOptions, SandboxRunOptions, SandboxWorkdir } from './sandbox/sandbox-runner.ts';
export { probeSandbox, type NetworkIsolation, type SandboxCapabilities } from './sandbox/sandbox-probe.ts';
export { DEFAULT_LIMITS, type ResourceLimits } from './sandbox/resource-limits.ts';
export { ScratchManager, ScratchPathError, type TaskScratch } from './sandbox/scratch-manager.ts';
export {
  SCRATCH_KEY_BYTES,
  ScratchVolume,
  ScratchVolumeError,
  planScratchVolume,
  type PlannedCommand,
  type ScratchVolumeOptions,
  type ScratchVolumePlan,
} from './sandbox/scratch-volume.ts';

export { discoverHardware, type DiscoveryDeps } from './hardware/hardware-discovery.ts';
export type { DiskInfo, GpuInfo, H264Encoder, HardwareProfile } from './hardware/hardware-profile.ts';
export {
  sampleTelemetry,
  type NodeTelemetrySample,
  type TelemetryDeps,
} from './hardware/telemetry-sampler.ts';
export { systemInformationProbe, type SystemProbe } from './hardware/system-probe.ts';
export { nvidiaSmi, type NvidiaSmi } from './hardware/nvidia-smi.ts';
export { parseNvidiaSmiCsv, type NvidiaGpuSample } from './hardware/nvidia-smi.parser.ts';

export {
  ModelIntegrityError,
  ModelManifestSchema,
  type ModelManifest,
  type ModelSource,
} from './models/model-manifest.ts';
export {
  DEFAULT_MANIFEST_PATH,
  defaultModelSource,
  loadModelManifest,
  readVerifiedModelFile,
  verifyModels,
} from './models/model-store.ts';
export { FaceDetector, type DetectorKind, type FaceBox } from './faces/face-detector.ts';

export { processRunner, type ProcessRunner, type ProcessResult } from './process/process-runner.ts';
export { systemClock, type Clock } from './clock.ts';
export { createLogger, memoryLogger, silentLogger, type LogFields, type Logger } from './logger.ts';
