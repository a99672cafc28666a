// Issue 12: a take knows the inputs it was rendered from (outdated when they change, shown beside
// its own inputs), removing a take is an undo step, and export/viewer changes are not undo steps.
import { describe, expect, it } from 'vitest';
import type { ImportedMedia, MediaRole } from '../../src/shared/contract';
import { defaultRenderParams } from '../../src/shared/renderParams';
import { ProjectTakeSchema, type ProjectTake } from '../../src/shared/projectFile';
import { EMPTY_HISTORY, recordEdit, redo, undo, type History } from '../../src/renderer/state/history';
import { EMPTY_PROJECT, projectReducer, type ProjectAction, type ProjectState } from '../../src/renderer/state/projectState';
import { changedInputs, takeMediaIds } from '../../src/renderer/state/takeInputs';

function media(role: MediaRole, id: string): ImportedMedia {
  const info = { path: `/data/${id}`, kind: role === 'motion' ? 'video' : 'image', width: 512, height: 512 } as const;
  return { id, role, warnings: [], info: { ...info, fps: 25, frameCount: 42, durationSec: 1.68, hasAudio: false } };
}
const takeOf = (n: number, inputs?: ProjectTake['inputs']): ProjectTake => ({
  jobId: `job-${n}`,
  name: `Take ${n}`,
  params: defaultRenderParams(),
  createdAt: '2026-01-01T00:00:00.000Z',
  status: 'success',
  ...(inputs ? { inputs } : {}),
});

function play(actions: ProjectAction[], start: ProjectState = EMPTY_PROJECT): { state: ProjectState; history: History } {
  let state = start;
  let history = EMPTY_HISTORY;
  actions.forEach((action, i) => {
    const next = projectReducer(state, action);
    if (next !== state) history = recordEdit(history, state, action, i * 1000);
    state = next;
  });
  return { state, history };
}

describe('outdated takes', () => {
  const inputs = { motionId: 'clip-a', referenceId: 'photo-a' };
  const base = play([
    { type: 'media.set', media: media('motion', 'clip-a') },
    { type: 'media.set', media: media('reference', 'photo-a') },
    { type: 'take.add', take: takeOf(1, inputs) },
  ]).state;

  it('is up to date with its own inputs and outdated when either changes', () => {
    expect(changedInputs(base, base.takes[0])).toEqual([]);
    const newClip = projectReducer(base, { type: 'media.set', media: media('motion', 'clip-b') });
    expect(changedInputs(newClip, newClip.takes[0])).toEqual(['motion']);
    const both = projectReducer(newClip, { type: 'media.set', media: media('reference', 'photo-b') });
    expect(changedInputs(both, both.takes[0])).toEqual(['motion', 'reference']);
    const removed = projectReducer(base, { type: 'media.remove', role: 'reference' } as ProjectAction);
    expect(changedInputs(removed, removed.takes[0])).toEqual(['reference']);
  });

  it('is shown beside its own inputs, never the new ones; old takes without inputs use the project', () => {
    const newClip = projectReducer(base, { type: 'media.set', media: media('motion', 'clip-b') });
    expect(takeMediaIds(newClip, newClip.takes[0])).toEqual(inputs);
    const legacy = takeOf(2);
    expect(changedInputs(newClip, legacy)).toEqual([]);
    expect(takeMediaIds(newClip, legacy)).toEqual({ motionId: 'clip-b', referenceId: 'photo-a' });
    expect(ProjectTakeSchema.safeParse(newClip.takes[0]).success).toBe(true);
    expect(ProjectTakeSchema.safeParse(legacy).success).toBe(true); // project files from before still open
  });
});

describe('undo', () => {
  it('brings a removed take back at its place, selected again, and keeps takes rendered since', () => {
    const { state, history } = play([
      { type: 'take.add', take: takeOf(1) },
      { type: 'take.add', take: takeOf(2) },
      { type: 'take.select', jobId: 'job-1' },
      { type: 'take.remove', jobId: 'job-1' },
      { type: 'take.add', take: takeOf(3) },
    ]);
    expect(state.takes.map((t) => t.jobId)).toEqual(['job-2', 'job-3']);
    const back = undo(history, state)!;
    expect(back.state.takes.map((t) => t.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
    expect(back.state.activeTake).toBe('job-1');
    expect(undo(back.history, back.state)).toBeNull(); // one press, nothing else in the history
    const again = redo(back.history, back.state)!;
    expect(again.state.takes.map((t) => t.jobId)).toEqual(['job-1', 'job-2', 'job-3']); // see restoreEdits' NOTE
  });

  it('skips export settings and viewer changes: one press undoes the last visible edit', () => {
    const { state, history } = play([
      { type: 'render.set', patch: { steps: 10 } },
      { type: 'export.set', patch: { format: 'gif' } },
      { type: 'export.set', patch: { layout: 'grid' } },
      { type: 'viewer.mode', mode: 'sideBySide' },
      { type: 'export.set', patch: { audio: 'none' } },
    ]);
    expect(history.past).toHaveLength(1);
    const step = undo(history, state)!;
    expect(step.state.render.steps).toBe(defaultRenderParams().steps);
    expect(step.state.exportSettings).toEqual(state.exportSettings); // the export dialog is left alone
    expect(step.state.viewerMode).toBe('sideBySide');
  });
});
