// The step library as shipped: the registry the agent runs tasks against.
import { createStepRegistry } from '../pipeline/step-registry.ts';
import type { AnyStepDefinition } from '../pipeline/step-types.ts';
import { captionsBurnInStep } from './captions-burn-in.step.ts';
import { captionsSrtStep } from './captions-srt.step.ts';
import { facesAnonymiseStep } from './faces-anonymise.step.ts';
import { ttsEspeakStep } from './tts-espeak.step.ts';
import { videoComposeStep } from './video-compose.step.ts';
import { videoSceneCutsStep } from './video-scene-cuts.step.ts';
import { videoThumbnailStep } from './video-thumbnail.step.ts';
import { videoTranscodeStep } from './video-transcode.step.ts';

export const STEP_DEFINITIONS: readonly AnyStepDefinition[] = [
  ttsEspeakStep,
  captionsSrtStep,
  captionsBurnInStep,
  facesAnonymiseStep,
  videoComposeStep,
  videoTranscodeStep,
  videoThumbnailStep,
  videoSceneCutsStep,
];

export const stepRegistry = createStepRegistry(STEP_DEFINITIONS);
