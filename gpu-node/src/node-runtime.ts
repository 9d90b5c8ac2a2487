// The node runtime as the agent starts it: wipe scratch leftovers, probe the sandbox (refusing
// to go on without network isolation unless the operator allowed it), discover the hardware,
// verify the model files against the manifest. Then, per task: a scratch directory, its task
// files, a pipeline context, and a wipe when the task is over.
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import { discoverHardware } from './hardware/hardware-discovery.ts';
import type { HardwareProfile } from './hardware/hardware-profile.ts';
import { nvidiaSmi, type NvidiaSmi } from './hardware/nvidia-smi.ts';
import { systemInformationProbe, type SystemProbe } from './hardware/system-probe.ts';
import { sampleTelemetry, type NodeTelemetrySample } from './hardware/telemetry-sampler.ts';
import { silentLogger, type Logger } from './logger.ts';
import { listH264Encoders } from './media/ffmpeg-capabilities.ts';
import type { ModelSource } from './models/model-manifest.ts';
import { defaultModelSource, verifyModels } from './models/model-store.ts';
import { supportedSteps, type StepRegistry } from './pipeline/step-registry.ts';
import type { PipelineContext } from './pipeline/step-runner.ts';
import { TaskFiles } from './pipeline/task-files.ts';
import { defaultToolPaths, type ToolPaths } from './pipeline/tool-paths.ts';
import { processRunner as realProcessRunner, type ProcessRunner } from './process/process-runner.ts';
import { createSandboxRunner, type SandboxRunner } from './sandbox/sandbox-runner.ts';
import { ScratchManager, type TaskScratch } from './sandbox/scratch-manager.ts';
import { stepRegistry } from './steps/index.ts';

export interface NodeRuntimeOptions {
  /** Root of per-task scratch directories (on a node: the LUKS2 scratch volume). */
  readonly scratchRoot: string;
  /** Run steps without a network namespace where the host cannot make one. Off unless the operator says so. */
  readonly allowUnsandboxed?: boolean;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly tools?: Partial<ToolPaths>;
  readonly models?: ModelSource;
  readonly registry?: StepRegistry;
  readonly processRunner?: ProcessRunner;
  readonly probe?: SystemProbe;
  /** Where the sandbox finds util-linux (tests point these at a missing binary). */
  readonly unsharePath?: string;
  readonly prlimitPath?: string;
}

export interface TaskSession {
  readonly scratch: TaskScratch;
  readonly files: TaskFiles;
  /** Everything runPipeline needs; `onProgress` goes to task.progress. */
  context(onProgress?: PipelineContext['onProgress'], logger?: Logger): PipelineContext;
  /** Deletes the task's scratch directory (call it whatever the outcome). */
  wipe(): Promise<void>;
}

export interface NodeRuntime {
  readonly hardware: HardwareProfile;
  readonly sandbox: SandboxRunner;
  readonly scratch: ScratchManager;
  readonly models: ModelSource;
  readonly tools: ToolPaths;
  readonly registry: StepRegistry;
  /** Step names this node can run (GPU-only steps are absent on a CPU-only node). */
  readonly steps: readonly string[];
  openTask(taskId: string): Promise<TaskSession>;
  sampleTelemetry(): Promise<NodeTelemetrySample>;
}

export async function startNodeRuntime(options: NodeRuntimeOptions): Promise<NodeRuntime> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const runner = options.processRunner ?? realProcessRunner;
  const probe = options.probe ?? systemInformationProbe;
  const tools = { ...defaultToolPaths(), ...options.tools };
  const registry = options.registry ?? stepRegistry;
  const smi: NvidiaSmi = nvidiaSmi(runner);

  const scratch = new ScratchManager(options.scratchRoot);
  const leftovers = await scratch.wipeLeftovers();
  if (leftovers > 0) logger.warn('scratch.leftovers-wiped', { entries: leftovers });
  const sandbox = await createSandboxRunner({
    processRunner: runner,
    logger,
    allowUnsandboxed: options.allowUnsandboxed,
    unsharePath: options.unsharePath,
    prlimitPath: options.prlimitPath,
  });
  const hardware = await discoverHardware({
    probe,
    nvidiaSmi: smi,
    h264Encoders: () => listH264Encoders(runner, tools.ffmpeg),
  });
  const models = options.models ?? (await defaultModelSource());
  const verified = await verifyModels(models);
  logger.info('node-runtime.started', {
    gpus: hardware.gpus.length,
    cores: hardware.cpu.cores,
    networkIsolated: sandbox.isolated,
    resourceLimits: sandbox.capabilities.resourceLimits,
    modelFiles: verified.files,
  });

  return {
    hardware,
    sandbox,
    scratch,
    models,
    tools,
    registry,
    steps: supportedSteps(registry, hardware),
    async openTask(taskId) {
      const dirs = await scratch.create(taskId);
      const files = new TaskFiles(dirs.filesDir, dirs.tmpDir);
      return {
        scratch: dirs,
        files,
        context: (onProgress, taskLogger) => ({
          taskId,
          workdir: { dir: dirs.dir, tmpDir: dirs.tmpDir },
          files,
          sandbox,
          hardware,
          models,
          tools,
          clock,
          log: taskLogger ?? logger,
          registry,
          onProgress,
        }),
        wipe: () => scratch.wipe(taskId),
      };
    },
    sampleTelemetry: () =>
      sampleTelemetry({ probe, nvidiaSmi: smi, hardware, scratchFreeMb: () => scratch.freeMb() }),
  };
}
