import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelsService } from '../../src/main/services/models';
import { ModelInfoSchema } from '../../src/shared/contract';
import type { Logger } from '../../src/main/services/serviceTypes';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'models-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function quietLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
}

describe('ModelsService', () => {
  const dataDir = path.join(tmp, 'data');
  const log = quietLog();
  const service = new ModelsService(dataDir, log);

  it('builds the demo model once on first use, even for concurrent callers', async () => {
    const [a, b] = await Promise.all([service.list(), service.list()]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(1);
    const demo = ModelInfoSchema.parse(a[0]);
    expect(demo).toMatchObject({ id: 'demo', configName: 'tiny', precision: 'fp32', width: 128, height: 128, dir: path.join(dataDir, 'models', 'demo') });
    expect(demo.sizeBytes).toBeGreaterThan(1_000_000);
    expect(demo.source).toMatch(/demo \(random weights, seed 1234\)/);
    expect(fs.readdirSync(path.join(dataDir, 'models'))).toEqual(['demo']);
  });

  it('lists other valid folders, skipping broken and in-progress ones', async () => {
    const models = path.join(dataDir, 'models');
    fs.cpSync(path.join(models, 'demo'), path.join(models, 'copy'), { recursive: true });
    const manifestFile = path.join(models, 'copy', 'manifest.json');
    fs.writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifestFile, 'utf8')), name: 'A copy' }));
    fs.mkdirSync(path.join(models, 'broken'));
    fs.mkdirSync(path.join(models, 'next.partial'));
    const list = await service.list();
    expect(list.map((m) => m.id)).toEqual(['demo', 'copy']);
    expect(log.warnings.some((w) => w.includes('broken') && w.includes('no manifest.json'))).toBe(true);
    expect(log.warnings.some((w) => w.includes('partial'))).toBe(false);
    expect(service.get('copy').manifest.name).toBe('A copy');
  });

  it('removes a model and refuses ids that are not model folders', async () => {
    service.remove('copy');
    expect((await service.list()).map((m) => m.id)).toEqual(['demo']);
    expect(() => service.remove('../data')).toThrow(/not a model id/);
    expect(() => service.get('next.partial')).toThrow(/not a model id/);
    expect(() => service.get('absent')).toThrow(/no model "absent"/);
  });

  it('rebuilds a damaged demo model', async () => {
    const decoder = path.join(dataDir, 'models', 'demo', 'vae_decoder.onnx');
    fs.truncateSync(decoder, 10);
    const list = await service.list();
    expect(list.map((m) => m.id)).toEqual(['demo']);
    expect(fs.statSync(decoder).size).toBeGreaterThan(10);
    expect(log.warnings.some((w) => w.includes('unusable') && w.includes('rebuilding'))).toBe(true);
  });

  it('answers models.list through its handlers', async () => {
    const handler = service.handlers()['models.list'];
    expect(handler).toBeDefined();
    expect((await handler!({})).map((m) => m.id)).toEqual(['demo']);
  });
});
