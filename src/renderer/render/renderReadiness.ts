// Why Render is disabled, said before the person presses it: every problem the main side would
// reject (or that would waste a render) becomes a reason with its own message. Pure.
import type { ModelInfo } from '../../shared/contract';
import { MAX_WINDOW, type RenderParams } from '../../shared/renderParams';
import type { StringKey, TranslateVars } from '../i18n/strings';
import { renderRange, timelineLength, type ProjectState } from '../state/projectState';
import { contextWindows, type ContextWindow } from '../../main/engine/sampler/contextWindows';

export interface Blocker {
  key: StringKey;
  vars?: TranslateVars;
  /** Settings that clear this reason, offered as a one-click fix beside it. */
  fix?: { key: StringKey; patch: Partial<RenderParams> };
}

const SIZE_STEP = 64;

function sizeBlockers(params: RenderParams): Blocker[] {
  const blockers: Blocker[] = [];
  for (const [side, value] of [['width', params.width], ['height', params.height]] as const) {
    if (!Number.isInteger(value) || value < SIZE_STEP || value > 2048) blockers.push({ key: 'render.sizeRange', vars: { side, value } });
    else if (value % SIZE_STEP !== 0) blockers.push({ key: 'render.sizeMultiple', vars: { side, value, step: SIZE_STEP } });
  }
  return blockers;
}

function windowBlockers(params: RenderParams): Blocker[] {
  const { window, overlap } = params;
  if (!Number.isInteger(window) || window < 1) return [{ key: 'render.windowTooSmall' }];
  if (window > MAX_WINDOW) return [{ key: 'render.windowTooBig', vars: { window, max: MAX_WINDOW } }];
  if (!Number.isInteger(overlap) || overlap < 0) return [{ key: 'render.overlapNegative' }];
  if (overlap >= window) return [{ key: 'render.overlapTooBig', vars: { overlap, window } }];
  return [];
}

function samplingBlockers(params: RenderParams): Blocker[] {
  const blockers: Blocker[] = [];
  if (!Number.isInteger(params.steps) || params.steps < 1 || params.steps > 200) blockers.push({ key: 'render.stepsRange' });
  if (!Number.isFinite(params.guidance) || params.guidance < 0 || params.guidance > 30) blockers.push({ key: 'render.guidanceRange' });
  if (!Number.isInteger(params.seed) || params.seed < 0 || params.seed > 2 ** 32 - 1) blockers.push({ key: 'render.seedRange' });
  return blockers;
}

/**
 * The chosen model must be installed (a project can name one that was removed since), and a
 * compiled model renders at the size its graphs were built for (demo 128², SD1.5 512² unless
 * chosen at import). An empty list means it has not arrived yet: nothing to say.
 */
function modelBlockers(params: RenderParams, models: readonly ModelInfo[]): Blocker[] {
  const model = models.find((m) => m.id === params.model);
  const demo = models.find((m) => m.id === 'demo');
  if (!model && models.length > 0) {
    const fix = demo ? { key: 'render.modelMissingFix' as const, patch: { model: demo.id, width: demo.width, height: demo.height } } : undefined;
    return [{ key: 'render.modelMissing', vars: { model: params.model }, fix }];
  }
  if (!model || (params.width === model.width && params.height === model.height)) return [];
  const vars = { modelWidth: model.width, modelHeight: model.height, width: params.width, height: params.height };
  return [{ key: 'render.sizeModel', vars, fix: { key: 'render.sizeModelFix', patch: { width: model.width, height: model.height } } }];
}

/**
 * Every reason the current settings cannot render, in the order the panel lists them. `models`
 * (from models.list) adds the check that the size is the chosen model's.
 */
export function renderBlockers(state: ProjectState, busy: boolean, models: readonly ModelInfo[] = []): Blocker[] {
  const blockers: Blocker[] = [];
  if (!state.motion) blockers.push({ key: 'render.needMotion' });
  if (!state.reference) blockers.push({ key: 'render.needReference' });
  if (state.motion && state.motion.info.kind !== 'video') blockers.push({ key: 'render.motionNotVideo' });
  blockers.push(...windowBlockers(state.render), ...sizeBlockers(state.render), ...samplingBlockers(state.render));
  blockers.push(...modelBlockers(state.render, models));
  if (!state.render.model) blockers.push({ key: 'render.needModel' });
  if (busy) blockers.push({ key: 'render.busy' });
  return blockers;
}

/** The params a render starts with: the panel's settings plus the in/out range. */
export function paramsForRender(state: ProjectState): RenderParams {
  return { ...state.render, range: renderRange(state) };
}

/** Output frames a render of these settings makes. */
export function outputFrameCount(state: ProjectState): number {
  const range = renderRange(state);
  return range ? range.end - range.start : timelineLength(state);
}

/**
 * The context windows the sampler will use, in output frames (for the timeline overlay), or []
 * when the settings are invalid. The official preset pads the clip to a multiple of 16 first.
 */
export function plannedWindows(frames: number, params: Pick<RenderParams, 'window' | 'overlap' | 'loop' | 'padTo16'>): ContextWindow[] {
  if (frames < 1 || windowBlockers(params as RenderParams).length > 0) return [];
  const padded = params.padTo16 ? Math.ceil(frames / 16) * 16 : frames;
  return contextWindows(padded, params.window, params.overlap, params.loop ? 'closed' : 'open');
}

/** A window's frames as contiguous [start, end) runs (a closed-loop window wraps to the start). */
export function windowRuns(window: ContextWindow): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  for (const frame of window) {
    const last = runs.at(-1);
    if (last && last.end === frame) last.end = frame + 1;
    else runs.push({ start: frame, end: frame + 1 });
  }
  return runs;
}
