// Child for hostileCheckpoints.test.ts: opens one checkpoint and reads every tensor, then prints
// one JSON line with the outcome, the time it took and how far RSS rose above the warmed-up
// baseline (peak, from getrusage's maxrss). A child per file keeps each figure separate.
//   tsx tests/weights/openCheckpointChild.ts <checkpoint> <a small valid checkpoint to warm up with>
import { openCheckpoint } from '../../src/main/compiler/textEmbedding';
import { StudioFailure } from '../../src/shared/result';

const [file, warmUp] = process.argv.slice(2);
for (const key of openCheckpoint(warmUp).keys()) void key; // load every module and JIT the readers first
const baseline = process.memoryUsage().rss;
const started = performance.now();
let outcome: { ok: boolean; code?: string; message?: string; values?: number };
try {
  const source = openCheckpoint(file);
  let values = 0;
  for (const key of source.keys()) values += source.take(key, source.shape(key) ?? []).read().length;
  outcome = { ok: true, values };
} catch (error) {
  outcome = error instanceof StudioFailure
    ? { ok: false, code: error.code, message: error.message }
    : { ok: false, code: 'internal', message: String((error as Error).stack ?? error) };
}
const ms = performance.now() - started;
const peakRssGrowthMiB = (process.resourceUsage().maxRSS * 1024 - baseline) / 2 ** 20;
process.stdout.write(`${JSON.stringify({ ...outcome, ms, peakRssGrowthMiB })}\n`);
