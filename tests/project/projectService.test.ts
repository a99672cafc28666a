// The project channels through the real dispatcher (input and output schemas checked), wired by
// createServices with the editor loaders, in a temporary data folder.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDITOR_LOADERS } from '../../src/main/services/editorLoaders';
import { createServices, type Services } from '../../src/main/services/index';
import type { Logger } from '../../src/main/services/serviceTypes';
import { JsonSettingsStore } from '../../src/main/services/settings';
import type { StudioEvent } from '../../src/shared/contract';
import type { OpenedProject, Project, RecoverableProject } from '../../src/shared/projectFile';
import type { Result } from '../../src/shared/result';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mas-projsvc-'));
const work = path.join(dataDir, 'work');
let services: Services;
const events: StudioEvent[] = [];

beforeAll(async () => {
  mkdirSync(work);
  services = await createServices({ mode: 'browser', version: 'test', dataDir, settings: JsonSettingsStore.inDataDir(dataDir, quiet), log: quiet, loaders: EDITOR_LOADERS });
  services.events.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await services.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const dispatch = (channel: string, payload: unknown) => services.dispatcher.dispatch(channel, payload);

describe('project service', () => {
  it('new → save → open round trip, recorded in the recent list', async () => {
    const clip = path.join(work, 'clip.mp4');
    writeFileSync(clip, 'x');
    const fresh = value(await dispatch('project.new', { name: 'Dance' })) as Project;
    expect(fresh).toMatchObject({ formatVersion: 1, name: 'Dance', inputs: [], takes: [], render: { model: 'demo' } });
    const project = { ...fresh, inputs: [{ role: 'motion', path: clip }] };
    const { path: saved } = value(await dispatch('project.save', { path: path.join(work, 'dance'), project })) as { path: string };
    expect(saved).toBe(path.join(work, 'dance.maproj'));
    const opened = value(await dispatch('project.open', { path: saved })) as OpenedProject;
    expect(opened.project.inputs).toEqual([{ role: 'motion', path: clip }]);
    const recent = value(await dispatch('project.recent', {})) as { path: string; exists: boolean; name: string }[];
    expect(recent[0]).toEqual({ path: saved, name: 'dance', exists: true });
    rmSync(saved);
    expect((value(await dispatch('project.recent', {})) as { exists: boolean }[])[0].exists).toBe(false);
  });

  it('saves a bare name into <dataDir>/projects (browser mode has no save dialog)', async () => {
    const project = value(await dispatch('project.new', {})) as Project;
    const { path: saved } = value(await dispatch('project.save', { path: 'Untitled', project })) as { path: string };
    expect(saved).toBe(path.join(dataDir, 'projects', 'Untitled.maproj'));
    expect(existsSync(saved)).toBe(true);
  });

  it('autosaves to <dataDir>/autosave/<id>.json, which opens like a project', async () => {
    const project = value(await dispatch('project.new', { name: 'Draft' })) as Project;
    const { path: file } = value(await dispatch('project.autosave', { project: { ...project, playhead: 12 } })) as { path: string };
    expect(file).toBe(path.join(dataDir, 'autosave', `${project.id}.json`));
    const reopened = value(await dispatch('project.open', { path: file })) as OpenedProject;
    expect(reopened.project.playhead).toBe(12);
  });

  it('offers unsaved autosaves back, newest first, with their origin; a save or a discard removes them', async () => {
    const recoverable = async () => (value(await dispatch('project.recoverable', {})) as RecoverableProject[]).filter((r) => r.name.startsWith('Rescue'));
    const clip = path.join(work, 'rescue.mp4');
    writeFileSync(clip, 'x');
    const saved = value(await dispatch('project.new', { name: 'Rescue saved' })) as Project;
    const origin = (value(await dispatch('project.save', { path: path.join(work, 'rescue'), project: saved })) as { path: string }).path;
    const edited = { ...saved, inputs: [{ role: 'motion' as const, path: clip }], render: { ...saved.render, steps: 7 } };
    value(await dispatch('project.autosave', { project: edited, origin }));
    const never = value(await dispatch('project.new', { name: 'Rescue unsaved' })) as Project;
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct autosave times
    value(await dispatch('project.autosave', { project: never }));

    const listed = await recoverable();
    expect(listed.map((r) => [r.name, r.origin])).toEqual([
      ['Rescue unsaved', null],
      ['Rescue saved', origin],
    ]);
    const restored = value(await dispatch('project.recover', { id: saved.id })) as OpenedProject;
    expect(restored.path).toBe(origin);
    expect(restored.project.render.steps).toBe(7);
    expect(restored.project.inputs).toEqual([{ role: 'motion', path: clip }]);
    expect((value(await dispatch('project.recover', { id: never.id })) as OpenedProject).path).toBe('');

    // The save that follows a restore removes the autosave; so does a discard.
    value(await dispatch('project.save', { path: origin, project: restored.project }));
    expect(value(await dispatch('project.discardAutosave', { id: never.id }))).toEqual({ removed: true });
    expect(await recoverable()).toEqual([]);
    expect(readdirSync(path.join(dataDir, 'autosave')).filter((n) => n.startsWith(saved.id) || n.startsWith(never.id))).toEqual([]);
    expect(await dispatch('project.recover', { id: never.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await dispatch('project.recover', { id: '../settings' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('an autosave sent just before a save cannot outlive it, and a damaged autosave is skipped', async () => {
    const project = value(await dispatch('project.new', { name: 'Rescue race' })) as Project;
    const target = path.join(work, 'race.maproj');
    // Both sent at once, as the editor does when Ctrl+S follows an edit within the autosave delay.
    const [autosaved, savedTo] = await Promise.all([dispatch('project.autosave', { project, origin: target }), dispatch('project.save', { path: target, project })]);
    expect(autosaved.ok && savedTo.ok).toBe(true);
    expect(existsSync(path.join(dataDir, 'autosave', `${project.id}.json`))).toBe(false);
    writeFileSync(path.join(dataDir, 'autosave', 'torn.json'), '{"formatVersion":');
    const listed = value(await dispatch('project.recoverable', {})) as RecoverableProject[];
    expect(listed.map((r) => r.id)).not.toContain('torn');
  });

  it('rejects bad payloads and reports a corrupt file with its code', async () => {
    const project = value(await dispatch('project.new', {})) as Project;
    const bad = await dispatch('project.save', { path: path.join(work, 'x.maproj'), project: { ...project, id: '../../escape' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    writeFileSync(path.join(work, 'torn.maproj'), '{');
    expect(await dispatch('project.open', { path: path.join(work, 'torn.maproj') })).toMatchObject({ ok: false, error: { code: 'corrupt_project' } });
  });

  it('project.demo makes the demo once and opens it (no models service here: the tiny size is used)', async () => {
    const first = value(await dispatch('project.demo', {})) as OpenedProject;
    expect(first.missing).toEqual([]);
    expect(first.project.inputs.map((i) => i.role).sort()).toEqual(['motion', 'reference']);
    expect(first.project.render).toMatchObject({ model: 'demo', width: 128, height: 128 });
    const phases = events.filter((e) => e.type === 'demo.progress').map((e) => (e as { phase: string }).phase);
    expect(new Set(phases)).toEqual(new Set(['reference', 'motion']));
    const projectText = readFileSync(first.path, 'utf8');
    const again = value(await dispatch('project.demo', {})) as OpenedProject;
    expect(again.project.id).toBe(first.project.id); // reused, not remade
    expect(readFileSync(first.path, 'utf8')).toBe(projectText);
  });
});

describe('project.demo with every service wired (the app as started)', () => {
  it('builds the demo model once through the models service and sizes the project for it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mas-projsvc-full-'));
    const full = await createServices({ mode: 'browser', version: 'test', dataDir: dir, settings: JsonSettingsStore.inDataDir(dir, quiet), log: quiet });
    const seen: StudioEvent[] = [];
    full.events.subscribe((e) => seen.push(e));
    try {
      expect(full.failed).toEqual([]);
      const [a, b] = await Promise.all([full.dispatcher.dispatch('project.demo', {}), full.dispatcher.dispatch('project.demo', {})]);
      const opened = value(a) as OpenedProject;
      expect((value(b) as OpenedProject).project.id).toBe(opened.project.id);
      const models = value(await full.dispatcher.dispatch('models.list', {})) as { id: string; width: number; height: number }[];
      const demo = models.find((m) => m.id === opened.project.render.model);
      expect(demo).toBeDefined();
      expect(opened.project.render.width).toBe(demo?.width);
      const phases = new Set(seen.filter((e) => e.type === 'demo.progress').map((e) => (e as { phase: string }).phase));
      expect(phases).toEqual(new Set(['model', 'reference', 'motion']));
    } finally {
      await full.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
