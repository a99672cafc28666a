// The edge behind 'project.demo': the demo model (through the models service, which shares one
// build between callers) and the demo content, with demo.progress events; returns the path of the
// demo project file. Without a models service the content is still made at the tiny model's size,
// and the render builds the model on first use (engine/runJob.ts).
import type { StudioEvent } from '../../shared/contract';
import { StudioFailure } from '../../shared/result';
import { DEMO_MODEL_ID } from '../compiler/compile';
import { nativeResolution } from '../compiler/networkPlan';
import { TINY_CONFIGS } from '../compiler/presets';
import { locateMediaTools } from '../media/locate';
import type { ModelsService } from '../services/models';
import type { Logger } from '../services/serviceTypes';
import { ensureDemoContent } from './demoContent';

export interface DemoProjectDeps {
  dataDir: string;
  models: Pick<ModelsService, 'ensureDemoModel' | 'get'> | null;
  emit: (event: StudioEvent) => void;
  log: Logger;
  /** Defaults to the located ffmpeg. */
  ffmpegBin?: string;
}

async function demoModelResolution(deps: DemoProjectDeps): Promise<number> {
  if (!deps.models) {
    deps.log.warn('no models service: the demo model will be built when the demo is first rendered');
    return nativeResolution(TINY_CONFIGS);
  }
  await deps.models.ensureDemoModel((p) => deps.emit({ type: 'demo.progress', phase: 'model', fraction: p.fraction }));
  deps.emit({ type: 'demo.progress', phase: 'model', fraction: 1 });
  return deps.models.get(DEMO_MODEL_ID).info.width; // the demo model is square
}

export async function makeDemoProject(deps: DemoProjectDeps): Promise<string> {
  const ffmpegBin = deps.ffmpegBin ?? (await locateMediaTools()).ffmpeg?.path;
  if (!ffmpegBin) throw new StudioFailure('not_available', 'The demo project needs ffmpeg to make its motion clip; install ffmpeg or set FFMPEG_BIN.');
  const modelResolution = await demoModelResolution(deps);
  const files = await ensureDemoContent(deps.dataDir, {
    ffmpegBin,
    modelResolution,
    onProgress: (phase, fraction) => deps.emit({ type: 'demo.progress', phase, fraction }),
  });
  return files.projectPath;
}
