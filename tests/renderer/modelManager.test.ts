// The Model manager's pure state: the form's blockers and request, progress matched on the import
// id, one done ending the task (and bumping the list revision), and byte formatting.
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../src/shared/contract';
import { EMPTY_FORM, formatBytes, formProblem, importDone, importProgress, importRefused, importRequest, importStarted, importStarting, INITIAL_MANAGER, modelRemoved } from '../../src/renderer/models/modelManagerState';

const FILLED = { ...EMPTY_FORM, sd15Dir: ' /m/sd15 ', vaeDir: '/m/vae', magicAnimateDir: '/m/ma', name: ' Mine ' };
const progress = (importId: string, fraction: number): EventOf<'models.progress'> => ({ type: 'models.progress', importId, network: 'unet3d', fraction, message: 'Writing unet3d', etaSec: 3 });

describe('model manager state', () => {
  it('blocks Import until the three folders and a name are there; builds a trimmed request', () => {
    expect(formProblem(EMPTY_FORM)).toBe('folders');
    expect(formProblem({ ...FILLED, vaeDir: '  ' })).toBe('folders');
    expect(formProblem({ ...FILLED, name: ' ' })).toBe('name');
    expect(formProblem(FILLED)).toBeNull();
    expect(importRequest(FILLED)).toEqual({ sd15Dir: '/m/sd15', vaeDir: '/m/vae', magicAnimateDir: '/m/ma', name: 'Mine', precision: 'fp32' });
    expect(importRequest({ ...FILLED, fp16: true, textEmbeddingPath: '/m/e.safetensors' })).toMatchObject({ precision: 'fp16', textEmbeddingPath: '/m/e.safetensors' });
    // Frame size: blank = native; WxH with both sides multiples of 64, else the form says why.
    expect(importRequest({ ...FILLED, frameSize: ' 512 × 768 ' })).toMatchObject({ frameSize: { width: 512, height: 768 } });
    expect(formProblem({ ...FILLED, frameSize: '512x768' })).toBeNull();
    for (const bad of ['500x768', '512', '4096x512', 'big']) expect(formProblem({ ...FILLED, frameSize: bad })).toBe('frameSize');
  });

  it('follows its own import by id and ends it with one done', () => {
    let s = importStarted(importStarting({ ...INITIAL_MANAGER, form: FILLED }), 'a', 'Mine');
    expect(s).toMatchObject({ starting: false, task: { importId: 'a', fraction: 0 } });
    expect(importProgress(s, progress('other', 0.9))).toBe(s);
    s = importProgress(s, progress('a', 0.5));
    expect(s.task).toMatchObject({ network: 'unet3d', fraction: 0.5, etaSec: 3 });
    const model = { id: 'mine', name: 'Mine', dir: '/d/models/mine', configName: 'tiny' as const, precision: 'fp32' as const, sizeBytes: 1, source: 'x', width: 128, height: 128 };
    const done = importDone(s, { type: 'models.done', importId: 'a', status: 'success', model });
    expect(done).toMatchObject({ task: null, revision: 1, outcome: { kind: 'imported', name: 'Mine' }, form: { name: '', sd15Dir: ' /m/sd15 ' } });
    const failed = importDone(s, { type: 'models.done', importId: 'a', status: 'error', error: { code: 'model_missing', message: 'missing VAE config: /x/config.json' } });
    expect(failed).toMatchObject({ task: null, outcome: { kind: 'error', title: 'import', code: 'model_missing' }, form: { name: ' Mine ' } });
    expect(importDone(s, { type: 'models.done', importId: 'a', status: 'aborted' }).outcome).toEqual({ kind: 'aborted', name: 'Mine' });
  });

  it('another window’s import still refreshes the list; refusals and removals are recorded', () => {
    const other = importDone(INITIAL_MANAGER, { type: 'models.done', importId: 'z', status: 'success' });
    expect(other).toMatchObject({ revision: 1, task: null, outcome: null });
    expect(importRefused(importStarting(INITIAL_MANAGER), 'a model named "Mine" already exists', 'invalid_request')).toMatchObject({ starting: false, outcome: { kind: 'error', code: 'invalid_request' } });
    expect(modelRemoved(INITIAL_MANAGER).revision).toBe(1);
  });

  it('formats sizes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(37_900_000)).toBe('37.9 MB');
    expect(formatBytes(3_440_000_000)).toBe('3.44 GB');
  });
});
