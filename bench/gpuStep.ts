// Child of bench/gpu.bench.ts: one window-step of a model folder in its own process, so its peak
// RSS is this policy's alone. Prints one JSON line of figures on stdout.
//   tsx bench/gpuStep.ts MODEL_DIR PROVIDER resident|sequential arena|no-arena WINDOW
import { loadOrtNetworks, type SessionPolicy } from '../src/main/engine/ortNetworks';
import { deviceMemory } from '../src/main/engine/deviceMemory';
import type { ProviderChoice, ProviderName } from '../src/main/engine/runtime';
import { mulberry32 } from '../src/main/compiler/weights/seeded';

const [modelDir, provider, policy, arena, windowText] = process.argv.slice(2);
const window = Number(windowText);
const random = mulberry32(7);
const noise = (dims: number[], scale = 1) => ({ data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (random() * 2 - 1) * scale), dims });

const started = performance.now();
const nets = await loadOrtNetworks({
  modelDir, provider: provider as ProviderChoice, threads: 0, sessions: policy as SessionPolicy, cpuArena: arena !== 'no-arena',
});
const loadMs = performance.now() - started;
const loadsAtStart = nets.stats.sessionLoads();
const { height: h, width: w } = nets.latentSize;
const t = 961;
const stepStarted = performance.now();
const bank = await nets.appearance(noise([1, 4, h, w]), t);
const residuals = await nets.controlnet(noise([window, 4, h, w]), t, { ...noise([window, 3, 8 * h, 8 * w], 0.5) });
const eps = await nets.unet(noise([2, 4, window, h, w]), t, bank, residuals);
const stepMs = performance.now() - stepStarted;
if (!eps.data.every(Number.isFinite)) throw new Error('the UNet3D returned non-finite values');
const loads = nets.stats.sessionLoads();
const free = deviceMemory((nets.provider as ProviderName) ?? 'cpu');
await nets.dispose();
console.log(JSON.stringify({
  provider: nets.provider,
  loadMs,
  stepMs,
  ms: nets.stats.ms,
  reloads: loads.count - loadsAtStart.count,
  reloadMs: loads.ms - loadsAtStart.ms,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  deviceFreeBytes: free && free.source !== 'system RAM' ? free.freeBytes : null,
}));
