import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newProject, readProjectFile, writeProjectFile } from '../../src/main/project/projectFile';
import { ExportFormatSchema, MediaRoleSchema } from '../../src/shared/contract';
import { ProjectExportFormatSchema, ProjectRoleSchema, type Project } from '../../src/shared/projectFile';

const root = mkdtempSync(path.join(os.tmpdir(), 'mas-project-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let folderCount = 0;
/** A project folder with three small input files (project files never decode media). */
function projectFolder(): { dir: string; inputs: Project['inputs'] } {
  const dir = path.join(root, `p${folderCount++}`);
  mkdirSync(path.join(dir, 'media'), { recursive: true });
  const inputs: Project['inputs'] = [
    { role: 'motion', path: path.join(dir, 'media', 'dance clip.mp4') },
    { role: 'reference', path: path.join(dir, 'media', 'me.png') },
    { role: 'audio', path: path.join(dir, 'song.wav') },
  ];
  for (const input of inputs) writeFileSync(input.path, `fake ${input.role}`);
  return { dir, inputs };
}

function sampleProject(inputs: Project['inputs']): Project {
  const project = newProject({ name: 'Round trip', inputs, render: { seed: 42, range: { start: 2, end: 30 } } });
  return {
    ...project,
    range: { in: 3, out: 20 },
    playhead: 7,
    takes: [{ jobId: '20240101-abcd', name: 'Take 1', params: project.render, createdAt: project.createdAt, status: 'success' }],
    activeTake: '20240101-abcd',
    export: { format: 'webm', fps: 25, size: '256x256', layout: 'grid', audio: 'file', outPath: path.join(path.dirname(inputs[0].path), 'out.webm') },
    viewerMode: 'grid',
  };
}

const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('project files', () => {
  it('round-trips every field, storing paths relative to the project file', async () => {
    const { dir, inputs } = projectFolder();
    const file = path.join(dir, 'My project.maproj');
    const project = sampleProject(inputs);
    const saved = await writeProjectFile(file, project);
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as Project;
    expect(onDisk.inputs.map((i) => i.path)).toEqual(['media/dance clip.mp4', 'media/me.png', 'song.wav']);
    expect(onDisk.export.outPath).toBe('media/out.webm');
    const opened = await readProjectFile(file);
    expect(opened).toEqual({ path: file, project: saved, missing: [], fromBackup: false });
    expect(opened.project).toEqual({ ...project, modifiedAt: saved.modifiedAt });
  });

  it('opens from a moved folder, resolving the inputs there', async () => {
    const { dir, inputs } = projectFolder();
    await writeProjectFile(path.join(dir, 'p.maproj'), sampleProject(inputs));
    const moved = path.join(root, 'moved', 'elsewhere');
    mkdirSync(path.dirname(moved), { recursive: true });
    renameSync(dir, moved);
    const opened = await readProjectFile(path.join(moved, 'p.maproj'));
    expect(opened.missing).toEqual([]);
    expect(opened.project.inputs.map((i) => i.path)).toEqual([
      path.join(moved, 'media', 'dance clip.mp4'),
      path.join(moved, 'media', 'me.png'),
      path.join(moved, 'song.wav'),
    ]);
  });

  it('lists a missing input per file and still opens', async () => {
    const { dir, inputs } = projectFolder();
    await writeProjectFile(path.join(dir, 'p.maproj'), sampleProject(inputs));
    rmSync(inputs[1].path);
    rmSync(inputs[2].path);
    mkdirSync(inputs[2].path); // a folder where the audio file was
    const opened = await readProjectFile(path.join(dir, 'p.maproj'));
    expect(opened.missing).toEqual([
      { role: 'reference', path: inputs[1].path, reason: expect.stringMatching(/not there/) },
      { role: 'audio', path: inputs[2].path, reason: expect.stringMatching(/folder/) },
    ]);
    expect(opened.project.inputs).toHaveLength(3);
  });

  it('keeps inputs outside the project folder relative too (../)', async () => {
    const { dir, inputs } = projectFolder();
    const nested = path.join(dir, 'projects', 'deep');
    mkdirSync(nested, { recursive: true });
    await writeProjectFile(path.join(nested, 'p.maproj'), sampleProject(inputs));
    const onDisk = JSON.parse(readFileSync(path.join(nested, 'p.maproj'), 'utf8')) as Project;
    expect(onDisk.inputs[0].path).toBe('../../media/dance clip.mp4');
  });

  it('survives a crash between the temp write and the rename: the old version is intact', async () => {
    const { dir, inputs } = projectFolder();
    const file = path.join(dir, 'p.maproj');
    await writeProjectFile(file, { ...sampleProject(inputs), name: 'Version one' });
    const before = readFileSync(file);
    const next = path.join(root, 'next.json');
    writeFileSync(next, JSON.stringify({ ...sampleProject(inputs), name: 'Version two' }));
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('tests/project/crashingSave.ts'), file, next], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(readFileSync(file)).toEqual(before);
    expect(leftovers(dir)).toHaveLength(1); // the crashed save's temp file: it did get that far
    // The next save clears the dead process's temp file and works.
    await writeProjectFile(file, { ...sampleProject(inputs), name: 'Version three' });
    expect((await readProjectFile(file)).project.name).toBe('Version three');
    expect(leftovers(dir)).toEqual([]);
  });

  it('a failed save leaves the old file and no temp file', async () => {
    const { dir, inputs } = projectFolder();
    const file = path.join(dir, 'p.maproj');
    await writeProjectFile(file, { ...sampleProject(inputs), name: 'Kept' });
    const failing = writeProjectFile(file, { ...sampleProject(inputs), name: 'Lost' }, { beforeRename: () => Promise.reject(new Error('power cut')) });
    await expect(failing).rejects.toMatchObject({ code: 'io_error' });
    expect((await readProjectFile(file)).project.name).toBe('Kept');
    expect(leftovers(dir)).toEqual([]);
  });

  it('keeps the previous version as .bak and offers it when the file is corrupt', async () => {
    const { dir, inputs } = projectFolder();
    const file = path.join(dir, 'p.maproj');
    await writeProjectFile(file, { ...sampleProject(inputs), name: 'First' });
    await writeProjectFile(file, { ...sampleProject(inputs), name: 'Second' });
    writeFileSync(file, '{"formatVersion": 1, "name": "Sec'); // torn by some other tool
    const err = await readProjectFile(file).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'corrupt_project',
      message: expect.stringMatching(/not valid JSON.*intact in p\.maproj\.bak; open the backup/),
      detail: { backupPath: `${file}.bak` },
    });
    const recovered = await readProjectFile(file, { fromBackup: true });
    expect(recovered).toMatchObject({ path: file, fromBackup: true, missing: [], project: { name: 'First' } });
    expect(recovered.project.inputs[0].path).toBe(inputs[0].path);
  });

  it('names the bad field of a hand-edited file, with no backup to offer', async () => {
    const { dir, inputs } = projectFolder();
    const file = path.join(dir, 'p.maproj');
    await writeProjectFile(file, sampleProject(inputs), { keepBackup: false });
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...raw, playhead: -4 }));
    const err = await readProjectFile(file).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'corrupt_project', message: expect.stringMatching(/playhead/) });
    expect((err as { detail?: unknown }).detail).toBeUndefined();
  });

  it('refuses newer formats and files that are not projects', async () => {
    const { dir, inputs } = projectFolder();
    const file = path.join(dir, 'p.maproj');
    await writeProjectFile(file, sampleProject(inputs), { keepBackup: false });
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...raw, formatVersion: 2, somethingNew: true }));
    await expect(readProjectFile(file)).rejects.toMatchObject({ code: 'unsupported_version', message: expect.stringMatching(/newer version.*format 2.*Update/) });
    writeFileSync(file, JSON.stringify({ name: 'no version' }));
    await expect(readProjectFile(file)).rejects.toMatchObject({ code: 'corrupt_project', message: expect.stringMatching(/formatVersion/) });
    writeFileSync(file, '[1,2,3]');
    await expect(readProjectFile(file)).rejects.toMatchObject({ code: 'corrupt_project' });
    await expect(readProjectFile(path.join(dir, 'absent.maproj'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(writeProjectFile(path.join(dir, 'no', 'such', 'x.maproj'), sampleProject(inputs))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('uses the same role and format names as the contract', () => {
    expect(ProjectRoleSchema.options).toEqual(MediaRoleSchema.options);
    expect(ProjectExportFormatSchema.options).toEqual(ExportFormatSchema.options);
  });
});
