// Deterministic fake networks for the sampling-loop tests. They are cheap functions of ALL their
// inputs; the UNet mixes the frames of its window (a window mean), so a frame fed to the wrong
// window, at the wrong step, or with another frame's latents changes the numbers.
import type { ControlSource, PipelineNetworks, Tensor } from '../../src/main/engine/networks';

export interface FakeBank {
  t: number;
  level: number;
}
export interface FakeResidual {
  id: number;
  values: Float32Array; // [4, h, w]
}

export interface CallLog {
  kind: 'vaeEncode' | 'vaeDecode' | 'appearance' | 'controlnet' | 'unet';
  t?: number;
  frames?: number;
}

export interface FakeNetworks extends PipelineNetworks<FakeBank, FakeResidual> {
  log: CallLog[];
  liveResiduals: Set<number>;
  residualPeak: number;
  liveBanks: number;
  bankPeak: number;
  /** Called at the start of every network call (e.g. to abort mid-run). */
  onCall?: (entry: CallLog) => void;
}

const f32 = Math.fround;

export function makeFakeNetworks(): FakeNetworks {
  let nextId = 0;
  const net: FakeNetworks = {
    log: [],
    liveResiduals: new Set(),
    residualPeak: 0,
    liveBanks: 0,
    bankPeak: 0,
    async vaeEncode(image) {
      record(net, { kind: 'vaeEncode' });
      const [, , H, W] = image.dims;
      const h = H / 8;
      const w = W / 8;
      const data = new Float32Array(4 * h * w);
      for (let c = 0; c < 4; c++)
        for (let p = 0; p < h * w; p++) data[c * h * w + p] = image.data[(c % 3) * H * W + (p % w) * 8 + Math.floor(p / w) * 8 * W] * (c + 1);
      return { data, dims: [1, 4, h, w] };
    },
    async vaeDecode(latents) {
      record(net, { kind: 'vaeDecode', frames: latents.dims[0] });
      const [n, , h, w] = latents.dims;
      const H = h * 8;
      const W = w * 8;
      const data = new Float32Array(n * 3 * H * W);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < 3; c++)
          for (let y = 0; y < H; y++)
            for (let x = 0; x < W; x++)
              data[((i * 3 + c) * H + y) * W + x] = Math.tanh(latents.data[((i * 4 + c) * h + (y >> 3)) * w + (x >> 3)]);
      return { data, dims: [n, 3, H, W] };
    },
    async appearance(ref, t) {
      record(net, { kind: 'appearance', t });
      net.liveBanks++;
      net.bankPeak = Math.max(net.bankPeak, net.liveBanks);
      const mean = ref.data.reduce((a, b) => a + b, 0) / ref.data.length;
      return { t, level: Math.sin(t / 100) * 0.1 + mean * 0.01 };
    },
    async controlnet(latents, t, cond) {
      const [n, c, h, w] = latents.dims;
      record(net, { kind: 'controlnet', t, frames: n });
      const condSize = cond.data.length / n;
      return Array.from({ length: n }, (_, i) => {
        let condMean = 0;
        for (let k = 0; k < condSize; k++) condMean += cond.data[i * condSize + k];
        condMean /= condSize;
        const values = new Float32Array(c * h * w);
        for (let k = 0; k < values.length; k++) values[k] = f32(0.05 * Math.tanh(latents.data[i * c * h * w + k]) + 0.1 * condMean + t * 1e-5);
        const id = nextId++;
        net.liveResiduals.add(id);
        net.residualPeak = Math.max(net.residualPeak, net.liveResiduals.size);
        return { id, values };
      });
    },
    async unet(latents, t, bank, residuals) {
      const [, c, f, h, w] = latents.dims;
      record(net, { kind: 'unet', t, frames: f });
      if (bank.t !== t) throw new Error(`bank of t=${bank.t} used at t=${t}`);
      const plane = h * w;
      const half = c * f * plane;
      const out = new Float32Array(2 * half);
      for (let b = 0; b < 2; b++)
        for (let ch = 0; ch < c; ch++)
          for (let p = 0; p < plane; p++) {
            let windowMean = 0;
            for (let j = 0; j < f; j++) windowMean += latents.data[b * half + (ch * f + j) * plane + p];
            windowMean /= f;
            for (let j = 0; j < f; j++) {
              const at = b * half + (ch * f + j) * plane + p;
              const x = latents.data[at];
              const reference = b === 1 ? bank.level : 0; // uncond half: no reference attention
              const temporal = 0.01 * j; // position inside the window matters too
              out[at] = f32(Math.tanh(0.5 * x + 0.3 * windowMean + reference + temporal) + residuals[j].values[ch * plane + p]);
            }
          }
      return { data: out, dims: latents.dims };
    },
    release(item) {
      if (item.kind === 'residual') net.liveResiduals.delete(item.value.id);
      else net.liveBanks--;
    },
  };
  return net;
}

function record(net: FakeNetworks, entry: CallLog): void {
  net.log.push(entry);
  net.onCall?.(entry);
}

/** A control clip of `count` frames [3, H, W] whose values differ per frame. */
export function fakeControl(count: number, height: number, width: number): ControlSource {
  return {
    count,
    frame(index: number): Tensor {
      const data = new Float32Array(3 * height * width);
      for (let k = 0; k < data.length; k++) data[k] = ((index * 37 + k * 11) % 255) / 255;
      return { data, dims: [3, height, width] };
    },
  };
}

export function fakeReference(height: number, width: number): Tensor {
  const data = new Float32Array(3 * height * width);
  for (let k = 0; k < data.length; k++) data[k] = Math.sin(k * 0.37);
  return { data, dims: [1, 3, height, width] };
}
