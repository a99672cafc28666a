import { describe, expect, it } from 'vitest';
import type { ImportedMedia, MediaRole, StudioEvent } from '../../src/shared/contract';
import { defaultRenderParams } from '../../src/shared/renderParams';
import { EMPTY_HISTORY, recordEdit, redo, undo, type History } from '../../src/renderer/state/history';
import { frameRuns, jobFromSummary, jobsReducer, providerFromLog, type JobsState } from '../../src/renderer/state/jobs';
import { EMPTY_PROJECT, projectReducer, renderRange, type ProjectAction, type ProjectState } from '../../src/renderer/state/projectState';
import { hasUnsavedEdits, stateFromProject, toProjectFile } from '../../src/renderer/project/projectCodec';
import { ProjectSchema } from '../../src/shared/projectFile';

function media(role: MediaRole, kind: 'video' | 'image' | 'audio', extra: Partial<ImportedMedia['info']> = {}): ImportedMedia {
  return {
    id: `${role}-id`,
    role,
    warnings: [],
    info: { path: `/data/${role}`, kind, width: 512, height: 512, fps: 0, frameCount: 0, durationSec: 0, hasAudio: false, ...extra },
  };
}
const running = media('motion', 'video', { fps: 25, frameCount: 42, durationSec: 1.68 });
const photo = media('reference', 'image', { frameCount: 1 });
const take = { jobId: 'job-1', name: 'Take 1', params: defaultRenderParams(), createdAt: '2026-01-01T00:00:00.000Z', status: 'running' as const };

/** Dispatch like stores.ts does: reduce, and record the state before every change. */
function play(actions: ProjectAction[], start: ProjectState = EMPTY_PROJECT, t0 = 0): { state: ProjectState; history: History } {
  let state = start;
  let history = EMPTY_HISTORY;
  actions.forEach((action, i) => {
    const next = projectReducer(state, action);
    if (next !== state) history = recordEdit(history, state, action, t0 + i * 1000);
    state = next;
  });
  return { state, history };
}

describe('undo/redo', () => {
  it('undoes inputs, settings and marks but keeps the playhead and takes', () => {
    const { state, history } = play([
      { type: 'media.set', media: running },
      { type: 'render.set', patch: { window: 8 } },
      { type: 'playhead.set', frame: 30 },
      { type: 'take.add', take },
      { type: 'range.in', frame: 5 },
    ]);
    expect(history.past).toHaveLength(3); // media, window, in mark (not playhead, not take)
    const a = undo(history, state)!;
    expect(a.state.range.in).toBeNull();
    expect(a.state.playhead).toBe(30);
    expect(a.state.takes).toHaveLength(1);
    const b = undo(a.history, a.state)!;
    expect(b.state.render.window).toBe(16);
    const c = redo(b.history, b.state)!;
    expect(c.state.render.window).toBe(8);
    expect(undo(EMPTY_HISTORY, state)).toBeNull();
  });

  it('merges quick changes of one setting into one step, not different settings', () => {
    let history = EMPTY_HISTORY;
    let state = EMPTY_PROJECT;
    for (const [i, steps] of [10, 11, 12].entries()) {
      const next = projectReducer(state, { type: 'render.set', patch: { steps } });
      history = recordEdit(history, state, { type: 'render.set', patch: { steps } }, i * 100);
      state = next;
    }
    expect(history.past).toHaveLength(1);
    history = recordEdit(history, state, { type: 'render.set', patch: { seed: 5 } }, 400);
    expect(history.past).toHaveLength(2);
  });

  it('clamps the playhead when undo removes the clip it was on', () => {
    const { state, history } = play([{ type: 'media.set', media: running }, { type: 'playhead.set', frame: 40 }]);
    expect(undo(history, state)!.state.playhead).toBe(0);
  });
});

describe('jobs from render events', () => {
  const ev = (e: Omit<Extract<StudioEvent, { type: 'render.segment' }>, 'type' | 'jobId'>): StudioEvent => ({ type: 'render.segment', jobId: 'j', ...e });
  it('keeps the best kind per frame: final is never replaced by a preview', () => {
    let jobs: JobsState = {};
    jobs = jobsReducer(jobs, ev({ start: 0, end: 8, kind: 'preview', step: 1 }));
    jobs = jobsReducer(jobs, ev({ start: 0, end: 4, kind: 'final', step: 4 }));
    jobs = jobsReducer(jobs, ev({ start: 2, end: 8, kind: 'preview', step: 2 }));
    expect(jobs.j.frames.join(',')).toBe('final,final,final,final,preview,preview,preview,preview');
    expect(jobs.j.previewSteps.slice(2, 8)).toEqual([1, 1, 2, 2, 2, 2]);
    expect(frameRuns(jobs.j.frames)).toEqual([
      { start: 0, end: 4, kind: 'final' },
      { start: 4, end: 8, kind: 'preview' },
    ]);
  });

  it('merges a start summary that arrives after the first events, and settles on done', () => {
    let jobs: JobsState = jobsReducer({}, ev({ start: 0, end: 2, kind: 'final', step: 4 }));
    jobs = { ...jobs, j: jobFromSummary({ jobId: 'j', dir: '/x', status: 'running', frameCount: 6, finishedFrames: [] }, jobs.j) };
    expect(jobs.j.frames).toEqual(['final', 'final', 'none', 'none', 'none', 'none']);
    jobs = jobsReducer(jobs, { type: 'render.progress', jobId: 'j', phase: 'sampling', step: 2, steps: 4, window: 1, windows: 2, fraction: 0.5, etaSec: 3 });
    expect(jobs.j.progress?.fraction).toBe(0.5);
    jobs = jobsReducer(jobs, { type: 'render.done', jobId: 'j', status: 'aborted' });
    expect(jobs.j.status).toBe('aborted');
    expect(jobs.j.progress).toBeNull();
  });

  it('reads the provider from the worker log line', () => {
    expect(providerFromLog('Model demo on cpu.')).toBe('cpu');
    expect(providerFromLog('something else')).toBeNull();
  });
});

describe('project file round trip', () => {
  it('saves and restores inputs, settings, marks, takes and the playhead', () => {
    const { state } = play([
      { type: 'media.set', media: running },
      { type: 'media.set', media: photo },
      { type: 'render.set', patch: { window: 8, overlap: 2, width: 128, height: 128 } },
      { type: 'range.in', frame: 3 },
      { type: 'range.out', frame: 20 },
      { type: 'take.add', take: { ...take, status: 'success' } },
      { type: 'playhead.set', frame: 7 },
      { type: 'viewer.mode', mode: 'sideBySide' },
    ]);
    const file = toProjectFile(state, { id: 'p1', name: 'Walk', createdAt: '2026-01-01T00:00:00.000Z' }, new Date('2026-01-02T00:00:00Z'));
    expect(ProjectSchema.safeParse(file).success).toBe(true);
    expect(file.inputs).toEqual([
      { role: 'motion', path: '/data/motion' },
      { role: 'reference', path: '/data/reference' },
    ]);
    const back = stateFromProject(file, [running, photo]);
    expect(back.render).toEqual(state.render);
    expect(back.range).toEqual({ in: 3, out: 20 });
    expect(back.playhead).toBe(7);
    expect(back.takes).toEqual(state.takes);
    expect(back.activeTake).toBe('job-1');
    expect(back.viewerMode).toBe('sideBySide');
    expect(renderRange(back)).toEqual({ start: 3, end: 21 });
  });

  it('counts edits as unsaved, the playhead alone not', () => {
    const saved = projectReducer(EMPTY_PROJECT, { type: 'media.set', media: running });
    expect(hasUnsavedEdits(saved, projectReducer(saved, { type: 'playhead.set', frame: 5 }))).toBe(false);
    expect(hasUnsavedEdits(saved, projectReducer(saved, { type: 'render.set', patch: { seed: 9 } }))).toBe(true);
  });
});

describe('workflow shortcuts', async () => {
  const { commandForKey } = await import('../../src/renderer/keyboard/shortcuts');
  const key = (k: string, mods: { ctrl?: boolean; shift?: boolean } = {}) =>
    commandForKey({ key: k, ctrlKey: mods.ctrl ?? false, metaKey: false, shiftKey: mods.shift ?? false, altKey: false })?.type;
  it('keeps Ctrl+O for media and gives projects Ctrl+Shift+O', () => {
    expect(key('o', { ctrl: true })).toBe('open');
    expect(key('O', { ctrl: true, shift: true })).toBe('openProject');
    expect(key('s', { ctrl: true })).toBe('save');
    expect(key('S', { ctrl: true, shift: true })).toBe('saveAs');
    expect(key('Enter', { ctrl: true })).toBe('render');
    expect(key('e', { ctrl: true })).toBe('export');
    expect(key('z', { ctrl: true })).toBe('undo');
    expect(key('Z', { ctrl: true, shift: true })).toBe('redo');
    expect(key('y', { ctrl: true })).toBe('redo');
  });
});
