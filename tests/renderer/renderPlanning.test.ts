import { describe, expect, it } from 'vitest';
import type { ImportedMedia } from '../../src/shared/contract';
import { defaultRenderParams } from '../../src/shared/renderParams';
import { defaultExportPath, exportRange, exportRequest, requestPath, withFormatExtension } from '../../src/renderer/export/exportPlan';
import { framingRect } from '../../src/renderer/render/framing';
import { plannedWindows, renderBlockers, windowRuns } from '../../src/renderer/render/renderReadiness';
import { bestOutputFrame, withVersion } from '../../src/renderer/viewer/outputFrames';
import { DEFAULT_EXPORT_SETTINGS, EMPTY_PROJECT, projectReducer, type ProjectState } from '../../src/renderer/state/projectState';
import type { JobView } from '../../src/renderer/state/jobs';

const clip: ImportedMedia = {
  id: 'm',
  role: 'motion',
  warnings: [],
  info: { path: '/m.mp4', kind: 'video', width: 512, height: 512, fps: 25, frameCount: 42, durationSec: 1.68, hasAudio: false },
};
const photo: ImportedMedia = { ...clip, id: 'r', role: 'reference', info: { ...clip.info, path: '/r.png', kind: 'image', frameCount: 1, fps: 0 } };
const ready: ProjectState = [clip, photo].reduce((s, m) => projectReducer(s, { type: 'media.set', media: m }), EMPTY_PROJECT);
const keys = (state: ProjectState, busy = false): string[] => renderBlockers(state, busy).map((b) => b.key);
const withParams = (patch: Partial<ProjectState['render']>): ProjectState => ({ ...ready, render: { ...ready.render, ...patch } });

describe('reasons Render is disabled', () => {
  it('lists missing inputs and accepts a complete project', () => {
    expect(keys(EMPTY_PROJECT)).toEqual(['render.needMotion', 'render.needReference']);
    expect(keys(ready)).toEqual([]);
    expect(keys(ready, true)).toEqual(['render.busy']);
  });

  it('explains windows, sizes and sampling values the engine would refuse', () => {
    expect(keys(withParams({ window: 8, overlap: 8 }))).toEqual(['render.overlapTooBig']);
    expect(keys(withParams({ window: 25, overlap: 4 }))).toEqual(['render.windowTooBig']);
    expect(keys(withParams({ width: 500 }))).toEqual(['render.sizeMultiple']);
    expect(keys(withParams({ height: 32 }))).toEqual(['render.sizeRange']);
    expect(keys(withParams({ steps: 0, guidance: 31 }))).toEqual(['render.stepsRange', 'render.guidanceRange']);
  });

  it('asks for the chosen model\'s own size (a compiled model renders at one size)', () => {
    const demo = { id: 'demo', name: 'Demo', dir: '/m', configName: 'tiny' as const, precision: 'fp32' as const, sizeBytes: 1, source: 'seeded', width: 128, height: 128 };
    const at = (width: number, height: number): string[] => renderBlockers(withParams({ model: 'demo', width, height }), false, [demo]).map((b) => b.key);
    expect(at(512, 512)).toEqual(['render.sizeModel']);
    expect(at(128, 256)).toEqual(['render.sizeModel']);
    expect(at(128, 128)).toEqual([]);
    const [blocker] = renderBlockers(withParams({ model: 'demo', width: 512, height: 256 }), false, [demo]);
    expect(blocker.fix?.patch).toEqual({ width: 128, height: 128 });
    // A model that is not installed (removed, or a project from elsewhere) is a reason, with the demo as the fix.
    const [missing] = renderBlockers(withParams({ model: 'other', width: 512, height: 512 }), false, [demo]);
    expect(missing).toMatchObject({ key: 'render.modelMissing', vars: { model: 'other' }, fix: { patch: { model: 'demo', width: 128, height: 128 } } });
    // Before the list arrives nothing is said about the model.
    expect(renderBlockers(withParams({ model: 'other', width: 512, height: 512 }), false, [])).toEqual([]);
  });
});

describe('context windows for the timeline', () => {
  it('draws the engine windows: open 8/2 over 24 frames starts at 0, 6, 12, 16', () => {
    const windows = plannedWindows(24, { window: 8, overlap: 2, loop: false, padTo16: false });
    expect(windows.map((w) => w[0])).toEqual([0, 6, 12, 16]);
    expect(plannedWindows(24, { window: 8, overlap: 8, loop: false, padTo16: false })).toEqual([]);
  });

  it('splits a wrapping (official, closed-loop) window into two runs', () => {
    const windows = plannedWindows(20, { window: 16, overlap: 4, loop: true, padTo16: false });
    const last = windows.at(-1)!;
    expect(windowRuns(last)).toEqual([
      { start: 12, end: 20 },
      { start: 0, end: 8 },
    ]);
  });
});

describe('framing', () => {
  it('pads a portrait into a square, crops it to fill', () => {
    expect(framingRect(256, 512, 512, 512, 'pad')).toEqual({ x: 128, y: 0, width: 256, height: 512 });
    expect(framingRect(256, 512, 512, 512, 'crop')).toEqual({ x: 0, y: -256, width: 512, height: 1024 });
  });
});

describe('best output frame', () => {
  const transport = { frameUrl: (s: { job: string; kind: string } | { media: string }, n: number) => ('job' in s ? `/f/${s.job}/${s.kind}/${n}.png?token=t` : '') };
  const job: JobView = { jobId: 'j', status: 'running', frameCount: 3, frames: ['final', 'preview', 'none'], previewSteps: [0, 2, 0], progress: null, error: null, provider: null };
  it('prefers the final frame, else the latest preview (versioned), else none; offset by the take range', () => {
    expect(bestOutputFrame(transport, job, 10, 10)).toEqual({ url: '/f/j/final/0.png?token=t', kind: 'final' });
    expect(bestOutputFrame(transport, job, 11, 10)).toEqual({ url: '/f/j/preview/1.png?token=t&v=2', kind: 'preview' });
    expect(bestOutputFrame(transport, job, 12, 10)).toBeNull();
    expect(bestOutputFrame(transport, job, 3, 10)).toBeNull();
    expect(withVersion('studio://x/1.png', 3)).toBe('studio://x/1.png?v=3');
  });
});

describe('export requests', () => {
  const take = { jobId: 'j', name: 'Take 1', params: { ...defaultRenderParams(), range: { start: 10, end: 34 } }, createdAt: '2026-01-01T00:00:00.000Z', status: 'success' as const };
  const base = { take, frameCount: 24, settings: DEFAULT_EXPORT_SETTINGS, marks: { in: null, out: null }, useMarks: false, sourceFps: 25, outPath: '/d/exports/a.mp4', audioFile: null };

  it('maps in/out marks (timeline frames) into the take’s output frames', () => {
    expect(exportRange(take, 24, { in: 12, out: 20 }, true)).toEqual({ start: 2, end: 11 });
    expect(exportRange(take, 24, { in: 12, out: 20 }, false)).toEqual({ start: 0, end: 24 });
    expect(exportRange(take, 24, { in: 0, out: 5 }, true)).toEqual({ start: 0, end: 24 }); // outside the take
  });

  it('builds the request with fps from the clip, audio per format, and reasons when it cannot', () => {
    const r = exportRequest({ ...base, settings: { ...DEFAULT_EXPORT_SETTINGS, audio: 'file' }, audioFile: '/a.wav' });
    expect(r).toEqual({ request: { jobId: 'j', format: 'mp4', outPath: '/d/exports/a.mp4', fps: 25, range: { start: 0, end: 24 }, audio: { source: 'file', path: '/a.wav' }, layout: 'result' } });
    const gif = exportRequest({ ...base, settings: { ...DEFAULT_EXPORT_SETTINGS, format: 'gif', audio: 'file' } });
    expect('request' in gif && gif.request.audio).toEqual({ source: 'none' });
    expect('request' in gif && gif.request.outPath).toBe('/d/exports/a.gif');
    expect(exportRequest({ ...base, settings: { ...DEFAULT_EXPORT_SETTINGS, audio: 'file' } })).toEqual({ problem: 'noAudioFile' });
    expect(exportRequest({ ...base, frameCount: 0 })).toEqual({ problem: 'noFrames' });
    expect(exportRequest({ ...base, outPath: ' ' })).toEqual({ problem: 'noPath' });
  });

  it('names and places files', () => {
    expect(defaultExportPath('/data/', 'My walk', 'Take 1', 'webm')).toBe('/data/exports/My-walk-Take-1.webm');
    expect(withFormatExtension('/x/out.mp4', 'png')).toBe('/x/out');
    expect(requestPath('/data/exports/a.mp4', '/data')).toBe('a.mp4');
    expect(requestPath('/elsewhere/a.mp4', '/data')).toBe('/elsewhere/a.mp4');
  });
});

describe('paths into the data folder', () => {
  it('sends a project path inside projects/ by name', () => {
    expect(requestPath('/data/projects/walk.maproj', '/data', 'projects')).toBe('walk.maproj');
    expect(requestPath('/data/projects/sub/walk.maproj', '/data', 'projects')).toBe('/data/projects/sub/walk.maproj');
  });
});
