// Issue 10: one window-step (appearance encoder once, ControlNet on the window's frames, UNet3D on
// [uncond, cond] × frames) of the FULL-SIZE model with seeded weights (compile-model --seeded sd15),
// fp16 and fp32, on the best available provider ('auto': cuda, dml, webgpu, then cpu). Prints
// seconds per window-step and per frame-step, each network's share, the memory plan beside the
// worker's peak RSS, and the device's free memory where the provider reports it. Each run is its own
// child process (bench/gpuStep.ts), so a peak RSS belongs to one precision and policy.
//
//   GPU_BENCH_SIZE=512 (default)   frame size; the seeded models are built once into GPU_BENCH_DIR
//   GPU_BENCH_PRECISIONS=fp16,fp32 GPU_BENCH_POLICIES=resident[,sequential,no-arena]
//   GPU_BENCH_PROVIDER=auto        GPU_BENCH_WINDOW=16
// NOTE: on a 24 GiB machine a fp32 window-step at 512 peaked at 22 GiB; check free memory first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readManifest } from '../src/main/compiler/manifest';
import { describeMemoryPlan, formatGigabytes, memoryPlan } from '../src/main/compiler/memoryPlan';
import { buildSeededModel } from '../src/main/compiler/seededModel';

export const description = 'full-size seeded model: one window-step per precision/policy, network shares, peak RSS vs the memory plan';

const SIZE = Number(process.env.GPU_BENCH_SIZE ?? 512);
const WINDOW = Number(process.env.GPU_BENCH_WINDOW ?? 16);
const PROVIDER = process.env.GPU_BENCH_PROVIDER ?? 'auto';
const PRECISIONS = (process.env.GPU_BENCH_PRECISIONS ?? 'fp16,fp32').split(',') as ('fp16' | 'fp32')[];
const POLICIES = (process.env.GPU_BENCH_POLICIES ?? 'resident').split(',');
const DIR = process.env.GPU_BENCH_DIR ?? path.join(os.tmpdir(), 'magicanimate-gpu-bench');
const OVERLAP = 4;

interface StepFigures {
  provider: string;
  loadMs: number;
  stepMs: number;
  ms: Record<string, number>;
  reloads: number;
  reloadMs: number;
  peakRssBytes: number;
  deviceFreeBytes: number | null;
}

async function seededModel(precision: 'fp16' | 'fp32'): Promise<string> {
  const dir = path.join(DIR, `sd15-${SIZE}-${precision}`);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    console.log(`   building ${dir} (seeded sd15, ${precision}, ${SIZE}x${SIZE}) …`);
    await buildSeededModel({ config: 'sd15', outDir: dir, precision, frameSize: { width: SIZE, height: SIZE }, overwrite: true });
  }
  return dir;
}

function runStep(dir: string, policy: string): StepFigures {
  const sessions = policy === 'sequential' ? 'sequential' : 'resident';
  const arena = policy === 'no-arena' ? 'no-arena' : 'arena';
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'gpuStep.ts'), dir, PROVIDER, sessions, arena, String(WINDOW)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as StepFigures;
}

export async function run(): Promise<void> {
  console.log(`   ${SIZE}x${SIZE}, window ${WINDOW} (overlap ${OVERLAP}), provider ${PROVIDER}, ${os.cpus().length} CPU cores, ${formatGigabytes(os.totalmem())} RAM`);
  for (const precision of PRECISIONS) {
    const dir = await seededModel(precision);
    const plan = memoryPlan(readManifest(dir), { window: WINDOW });
    for (const policy of POLICIES) {
      const f = runStep(dir, policy);
      const device = f.provider === 'cpu' ? 'CPU' : 'GPU';
      const shares = Object.entries(f.ms).map(([n, ms]) => `${n} ${((100 * ms) / f.stepMs).toFixed(0)}%`).join(', ');
      const estimate = policy === 'sequential' ? plan.sequentialBytes : plan.residentBytes;
      console.log(`   ${precision} ${policy} on ${f.provider}: ${(f.stepMs / 1000).toFixed(1)} s per window-step, `
        + `${(f.stepMs / 1000 / WINDOW).toFixed(2)} s per frame-step (${(f.stepMs / 1000 / (WINDOW - OVERLAP)).toFixed(2)} s per new frame at overlap ${OVERLAP}); `
        + `sessions loaded in ${(f.loadMs / 1000).toFixed(1)} s${f.reloads ? `, ${f.reloads} reloads in the step (${(f.reloadMs / 1000).toFixed(1)} s)` : ''}`);
      console.log(`      shares: ${shares}`);
      console.log(`      worker peak RSS ${formatGigabytes(f.peakRssBytes)}; plan ${formatGigabytes(estimate)} (${((100 * f.peakRssBytes) / estimate - 100).toFixed(0)}% off)`
        + `${f.deviceFreeBytes !== null ? `; device free ${formatGigabytes(f.deviceFreeBytes)}` : ''}`);
      console.log(`      plan: ${describeMemoryPlan(plan, device)}`);
      console.log(`      per network (weights + activations): ${plan.networks.map((n) => `${n.name} ${formatGigabytes(n.weightBytes)} + ${formatGigabytes(n.activationBytes)}`).join(', ')}`);
    }
  }
}
