import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateMediaTools } from '../../src/main/media/locate';
import { MediaService } from '../../src/main/services/mediaService';
import type { StudioEvent } from '../../src/shared/contract';
import { build, figureLine, MONALISA, RUNNING, tempDir } from './corpus';

const tmp = tempDir('service');
const cacheDir = path.join(tmp.dir, 'cache');
afterAll(() => tmp.cleanup());

async function service(events: StudioEvent[] = []) {
  return new MediaService({ cacheDir, emit: (e) => events.push(e), tools: await locateMediaTools() });
}

let tried = 0;
describe('media service', () => {
  afterAll(() => figureLine('mediaService', tried, 0));

  it('imports a DensePose motion clip once, with progress, and serves its frames from the cache only', async () => {
    const events: StudioEvent[] = [];
    const media = await service(events);
    const [a, b] = await Promise.all([media.import({ path: RUNNING, role: 'motion' }), media.import({ path: RUNNING, role: 'motion' })]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ role: 'motion', warnings: [], info: { frameCount: 42, fps: 25, width: 512 } });
    const decoded = events.map((e) => (e.type === 'media.progress' ? e.decoded : -1));
    expect(decoded.at(-1)).toBe(42);
    expect(decoded).toEqual([...decoded].sort((x, y) => x - y));

    const frame = await media.framePath(a.id, 41);
    expect(frame.startsWith(path.resolve(cacheDir) + path.sep)).toBe(true);
    expect(path.basename(frame)).toBe('000041.jpg');
    expect(path.basename(path.dirname(await media.thumbPath(a.id, 0)))).toBe('thumbs');
    await expect(media.framePath(a.id, 42)).rejects.toMatchObject({ code: 'not_found' });
    await expect(media.framePath(a.id, -1)).rejects.toMatchObject({ code: 'not_found' });
    await expect(media.framePath('../../etc/passwd', 0)).rejects.toMatchObject({ code: 'not_found' });

    // A new service (app restart) finds the decoded cache on disk without decoding again.
    const restarted = await service();
    expect(await restarted.framePath(a.id, 3)).toBe(await media.framePath(a.id, 3));
    expect((await restarted.mediaInfo(a.id)).frameCount).toBe(42);
    tried += 3;
  });

  it('warns (not fails) on a motion clip that is not DensePose, and gives peaks of its audio', async () => {
    const media = await service();
    const colour = await media.import({ path: build.colourWithAudio(tmp.dir), role: 'motion' });
    expect(colour.warnings.join(' ')).toMatch(/does not look like a DensePose clip/);
    const { peaks } = await media.peaks({ mediaId: colour.id, buckets: 32 });
    expect(peaks).toHaveLength(32);
    expect(Math.max(...peaks)).toBeGreaterThan(0.1);
    const motion = await media.import({ path: RUNNING, role: 'motion' });
    await expect(media.peaks({ mediaId: motion.id, buckets: 32 })).rejects.toMatchObject({ code: 'unsupported_media' });
    tried += 2;
  });

  it('imports references and audio, and refuses the wrong kind of file for a role', async () => {
    const media = await service();
    const ref = await media.import({ path: MONALISA, role: 'reference' });
    expect(ref.info.kind).toBe('image');
    expect(path.basename(await media.referencePath(ref.id))).toBe('reference.png');
    const alpha = await media.import({ path: build.pngAlpha(tmp.dir), role: 'reference' });
    expect(alpha.warnings.join(' ')).toMatch(/transparent pixels are flattened onto white/);

    const tone = build.audioOnly(tmp.dir);
    const audio = await media.import({ path: tone, role: 'audio' });
    expect((await media.peaks({ mediaId: audio.id, buckets: 16 })).durationSec).toBeCloseTo(1.5, 1);
    await expect(media.framePath(audio.id, 0)).rejects.toMatchObject({ code: 'not_found' });

    await expect(media.import({ path: tone, role: 'motion' })).rejects.toMatchObject({ code: 'unsupported_media', message: expect.stringMatching(/no video track.*DensePose video/) });
    await expect(media.import({ path: MONALISA, role: 'motion' })).rejects.toMatchObject({ message: expect.stringMatching(/still image/) });
    await expect(media.import({ path: RUNNING, role: 'reference' })).rejects.toMatchObject({ message: expect.stringMatching(/export the frame you want/) });
    await expect(media.import({ path: MONALISA, role: 'audio' })).rejects.toMatchObject({ message: expect.stringMatching(/no audio track/) });
    await expect(media.import({ path: build.truncatedNoMoov(tmp.dir), role: 'motion' })).rejects.toMatchObject({ code: 'corrupt_media' });
    const vfr = await media.import({ path: build.vfrClip(tmp.dir), role: 'motion' });
    expect(vfr.warnings.join(' ')).toMatch(/variable frame rate/);
    tried += 10;
  });

  it('answers not_available with the locator’s explanation when ffprobe is missing', async () => {
    const media = new MediaService({ cacheDir, emit: () => undefined, tools: { ffmpeg: null, ffprobe: null, notes: ['ffprobe was not found (…); install ffmpeg'] } });
    await expect(media.probe({ path: RUNNING })).rejects.toMatchObject({ code: 'not_available', message: expect.stringMatching(/ffprobe was not found/) });
    tried += 1;
  });
});
