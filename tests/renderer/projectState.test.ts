import { describe, expect, it } from 'vitest';
import type { ImportedMedia, MediaRole } from '../../src/shared/contract';
import {
  EMPTY_PROJECT,
  audioSource,
  mediaName,
  playRange,
  projectReducer,
  timelineFps,
  timelineLength,
  type ProjectAction,
  type ProjectState,
} from '../../src/renderer/state/projectState';

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
const song = media('audio', 'audio', { durationSec: 2.5, width: 0, height: 0 });

const run = (actions: ProjectAction[], from: ProjectState = EMPTY_PROJECT): ProjectState => actions.reduce(projectReducer, from);

describe('derived facts', () => {
  it('takes length and rate from the motion clip', () => {
    const state = run([{ type: 'media.set', media: running }]);
    expect(timelineLength(state)).toBe(42);
    expect(timelineFps(state)).toBe(25);
  });

  it('gives audio alone its duration in frames and a photo alone one frame', () => {
    expect(timelineLength(run([{ type: 'media.set', media: song }]))).toBe(63); // 2.5 s · 25 fps, rounded up
    expect(timelineLength(run([{ type: 'media.set', media: photo }]))).toBe(1);
    expect(timelineLength(EMPTY_PROJECT)).toBe(0);
  });

  it("uses the motion clip's sound unless an audio file was dropped", () => {
    const loud = media('motion', 'video', { fps: 25, frameCount: 42, hasAudio: true });
    expect(audioSource(run([{ type: 'media.set', media: running }]))).toBeNull();
    expect(audioSource(run([{ type: 'media.set', media: loud }]))?.id).toBe('motion-id');
    expect(audioSource(run([{ type: 'media.set', media: loud }, { type: 'media.set', media: song }]))?.id).toBe('audio-id');
  });
});

describe('media names', () => {
  it("shows the person's file name, else the path's last part", () => {
    const named = run([{ type: 'media.set', media: running, name: 'running.mp4' }]);
    expect(mediaName(named, running)).toBe('running.mp4');
    expect(mediaName(EMPTY_PROJECT, running)).toBe('motion');
  });
});

describe('playhead', () => {
  it('stays inside the clip', () => {
    const state = run([{ type: 'media.set', media: running }, { type: 'playhead.set', frame: 100 }]);
    expect(state.playhead).toBe(41);
    expect(run([{ type: 'playhead.step', delta: -10 }], state).playhead).toBe(31);
    expect(run([{ type: 'playhead.step', delta: -100 }], state).playhead).toBe(0);
    expect(run([{ type: 'playhead.set', frame: 5 }]).playhead).toBe(0); // empty timeline
  });

  it('returns the same object when nothing changes, so subscribers are not woken', () => {
    const state = run([{ type: 'media.set', media: running }, { type: 'playhead.set', frame: 7 }]);
    expect(projectReducer(state, { type: 'playhead.set', frame: 7 })).toBe(state);
    expect(projectReducer(state, { type: 'range.clear' })).toBe(state);
    expect(projectReducer(state, { type: 'media.remove', role: 'audio' })).toBe(state);
  });

  it('is pulled back when a shorter clip replaces a longer one', () => {
    const short = media('motion', 'video', { fps: 25, frameCount: 10 });
    const state = run([{ type: 'media.set', media: running }, { type: 'playhead.set', frame: 30 }, { type: 'range.out', frame: 35 }, { type: 'media.set', media: short }]);
    expect(state.playhead).toBe(9);
    expect(state.range.out).toBeNull();
  });
});

describe('in/out range', () => {
  const base = run([{ type: 'media.set', media: running }]);

  it('marks inclusive frames and drives the play range', () => {
    const state = run([{ type: 'range.in', frame: 5 }, { type: 'range.out', frame: 20 }], base);
    expect(state.range).toEqual({ in: 5, out: 20 });
    expect(playRange(state)).toEqual({ first: 5, last: 20 });
    expect(playRange(base)).toEqual({ first: 0, last: 41 });
  });

  it('never inverts: a mark past the other clears the other', () => {
    expect(run([{ type: 'range.in', frame: 5 }, { type: 'range.out', frame: 20 }, { type: 'range.in', frame: 30 }], base).range).toEqual({ in: 30, out: null });
    expect(run([{ type: 'range.in', frame: 10 }, { type: 'range.out', frame: 4 }], base).range).toEqual({ in: null, out: 4 });
  });

  it('does nothing on an empty timeline and clears on request', () => {
    expect(run([{ type: 'range.in', frame: 3 }]).range).toEqual({ in: null, out: null });
    expect(run([{ type: 'range.in', frame: 3 }, { type: 'range.clear' }], base).range).toEqual({ in: null, out: null });
  });

  it('removing the clip clears marks and playhead', () => {
    const state = run([{ type: 'range.in', frame: 3 }, { type: 'playhead.set', frame: 12 }, { type: 'media.remove', role: 'motion' }], base);
    expect(state.motion).toBeNull();
    expect(state.range).toEqual({ in: null, out: null });
    expect(state.playhead).toBe(0);
  });
});
