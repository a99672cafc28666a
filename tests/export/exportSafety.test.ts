// Issue 9, "exports overwrite and delete": each attack from the audit, now refused with nothing
// lost. Real ffmpeg, real files in a temporary folder, and the test's own freedesktop trash
// (XDG_DATA_HOME inside the temp folder), so nothing reaches the machine's real trash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as renderCli } from '../../src/main/cli/render';
import { JobFolder } from '../../src/main/engine/job';
import { EXPORT_MARKER, placeOutput } from '../../src/main/files/destination';
import { backupBeside, systemTrash } from '../../src/main/files/trash';
import { probeMedia } from '../../src/main/media/probe';
import { dataPaths } from '../../src/main/paths';
import { ExportService } from '../../src/main/services/exportService';
import type { RequestOf, StudioEvent } from '../../src/shared/contract';
import { defaultRenderParams } from '../../src/shared/renderParams';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mas-export-safety-'));
const dataDir = path.join(tmp, 'data');
const xdg = path.join(tmp, 'xdg');
const events: StudioEvent[] = [];
const trash = systemTrash('linux', { HOME: path.join(tmp, 'home'), XDG_DATA_HOME: xdg });
const service = new ExportService({ dataDir, emit: (e) => events.push(e), ffmpeg: { bin: 'ffmpeg', version: null }, ffprobeBin: 'ffprobe', revealItem: null, trash });
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
let jobId = '';

beforeAll(() => {
  const job = JobFolder.create(dataPaths(dataDir).jobs, {
    params: defaultRenderParams({ width: 64, height: 64 }),
    inputs: { motionPath: path.join(tmp, 'none.mp4'), referencePath: path.join(tmp, 'none.png') },
    fps: 25,
    options: { bankPrecision: 'fp32' },
  });
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=25', '-frames:v', '6', '-start_number', '0', path.join(job.dir, 'final', '%06d.png')]);
  job.update({ status: 'success', frameCount: 6 });
  jobId = job.id;
});
afterAll(() => {
  service.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

type Done = Extract<StudioEvent, { type: 'export.done' }>;
const request = (o: Partial<RequestOf<'export.start'>>): RequestOf<'export.start'> => ({
  jobId, format: 'mp4', outPath: '', fps: 25, range: { start: 0, end: 6 }, audio: { source: 'none' }, ...o,
});
async function exportAndWait(input: RequestOf<'export.start'>): Promise<Done> {
  const { exportId } = await service.start(input);
  await expect.poll(() => events.some((e) => e.type === 'export.done' && e.exportId === exportId), { timeout: 60_000, interval: 50 }).toBe(true);
  return events.find((e) => e.type === 'export.done' && e.exportId === exportId) as Done;
}

describe('exports never destroy what the app did not make', () => {
  it('a folder with unrelated files survives a PNG export aimed at it, with or without overwrite', async () => {
    const pictures = path.join(tmp, 'Pictures');
    mkdirSync(path.join(pictures, 'holiday'), { recursive: true });
    writeFileSync(path.join(pictures, 'cat.jpg'), 'a cat');
    writeFileSync(path.join(pictures, 'holiday', 'beach.jpg'), 'a beach');
    for (const overwrite of [false, true]) {
      await expect(service.start(request({ format: 'png', outPath: pictures, overwrite }))).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/did not make.*cat\.jpg/) });
    }
    expect(readdirSync(pictures).sort()).toEqual(['cat.jpg', 'holiday']);
    expect(readFileSync(path.join(pictures, 'holiday', 'beach.jpg'), 'utf8')).toBe('a beach');
    expect(readdirSync(tmp).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('an existing file is never replaced by a folder of frames, and a video never replaces a folder', async () => {
    const file = path.join(tmp, 'notes');
    writeFileSync(file, 'my notes');
    await expect(service.start(request({ format: 'png', outPath: file, overwrite: true }))).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/is a file/) });
    expect(readFileSync(file, 'utf8')).toBe('my notes');
    const folder = path.join(tmp, 'folder.mp4');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'keep'), 'x');
    await expect(service.start(request({ outPath: folder, overwrite: true }))).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/is a folder/) });
    expect(readFileSync(path.join(folder, 'keep'), 'utf8')).toBe('x');
  });

  it('an existing MP4 survives an export without overwrite; with it, it is replaced and the old one is in the trash', async () => {
    const out = path.join(tmp, 'mine.mp4');
    writeFileSync(out, 'the person’s own video');
    const before = sha(out);
    await expect(service.start(request({ outPath: out }))).rejects.toMatchObject({ code: 'exists', message: expect.stringMatching(/already exists.*confirm/) });
    expect(sha(out)).toBe(before);

    const done = await exportAndWait(request({ outPath: out, overwrite: true }));
    expect(done).toMatchObject({ status: 'success', path: out, replaced: { to: 'trash' } });
    expect((await probeMedia('ffprobe', out)).info).toMatchObject({ kind: 'video', frameCount: 6 });
    const trashed = path.join(xdg, 'Trash', 'files', 'mine.mp4');
    expect(done.replaced?.path).toBe(trashed);
    expect(sha(trashed)).toBe(before);
    const info = readFileSync(path.join(xdg, 'Trash', 'info', 'mine.mp4.trashinfo'), 'utf8');
    expect(info).toMatch(new RegExp(`^\\[Trash Info\\]\\nPath=${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\nDeletionDate=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\n$`));
  });

  it('an earlier PNG export is replaced only with overwrite (into the trash), and not once a foreign file is added', async () => {
    const out = path.join(tmp, 'frames');
    expect((await exportAndWait(request({ format: 'png', outPath: out }))).status).toBe('success');
    expect(readdirSync(out)).toContain(EXPORT_MARKER);
    await expect(service.start(request({ format: 'png', outPath: out }))).rejects.toMatchObject({ code: 'exists' });
    const again = await exportAndWait(request({ format: 'png', outPath: out, range: { start: 0, end: 3 }, overwrite: true }));
    expect(again).toMatchObject({ status: 'success', replaced: { to: 'trash' } });
    expect(readdirSync(out).filter((n) => n.endsWith('.png'))).toHaveLength(3);
    expect(readdirSync(again.replaced!.path).filter((n) => n.endsWith('.png'))).toHaveLength(6);
    writeFileSync(path.join(out, 'my-edit.psd'), 'work');
    await expect(service.start(request({ format: 'png', outPath: out, overwrite: true }))).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/my-edit\.psd/) });
    expect(readFileSync(path.join(out, 'my-edit.psd'), 'utf8')).toBe('work');
  });

  it('a file that appears while exporting is not clobbered (no-overwrite placement uses link, not rename)', async () => {
    const out = path.join(tmp, 'race.mp4');
    const temp = path.join(tmp, '.race.partial.mp4');
    writeFileSync(temp, 'new');
    writeFileSync(out, 'appeared meanwhile');
    await expect(placeOutput(temp, out, 'file', { overwrite: false, trash })).rejects.toMatchObject({ code: 'exists' });
    expect(readFileSync(out, 'utf8')).toBe('appeared meanwhile');
  });

  it('without a trash (Windows browser mode) the old file is kept beside the new one, and the receipt says so', async () => {
    const out = path.join(tmp, 'win.gif');
    writeFileSync(out, 'old');
    const receipt = await backupBeside(() => new Date(2026, 11, 2, 18, 5, 9))(out);
    expect(receipt).toEqual({ to: 'backup', path: path.join(tmp, 'win (replaced 2026-12-02 18-05-09).gif') });
    expect(readFileSync(receipt.path, 'utf8')).toBe('old');
  });
});

describe('render CLI --out', () => {
  it('refuses an existing file or a non-empty folder without --overwrite, before rendering, and says so', async () => {
    const out = path.join(tmp, 'cli.mp4');
    writeFileSync(out, 'keep me');
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
    const folder = path.join(tmp, 'cli-folder');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'other.txt'), 'mine');
    const args = ['--reference', path.join(tmp, 'r.png'), '--motion', path.join(tmp, 'm.mp4'), '--data-dir', path.join(tmp, 'cli-data')];
    let codes: number[];
    try {
      codes = [await renderCli([...args, '--out', out]), await renderCli([...args, '--out', folder, '--overwrite'])];
    } finally {
      process.stderr.write = write;
    }
    expect(codes).toEqual([1, 1]);
    expect(stderr.join('')).toMatch(/error \(exists\): A file already exists at .*cli\.mp4.*pass --overwrite/);
    expect(stderr.join('')).toMatch(/cli-folder already holds files this app did not make \(other\.txt\)/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(readFileSync(path.join(folder, 'other.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(tmp, 'cli-data', 'jobs'))).toBe(false); // refused before any render started
  });
});
