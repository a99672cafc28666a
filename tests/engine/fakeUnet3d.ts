// TEST-ONLY stand-in for the UNet3D graph, used while the real graph (src/main/compiler/networks/
// unet3d.ts) is not in the model folder yet. It is a real ONNX graph with the UNet3D's input names
// and layouts (sample [2, 4, f, h, w], timestep, encoder_hidden_states, bank_NN, down_NN / mid as
// [2, C, f, h, w]) so the ORT plumbing, the worker and the job folder are exercised for real; its
// numbers are a cheap function of every input (frames are mixed, so window order matters), not a
// diffusion model. Never used outside tests.
import fs from 'node:fs';
import path from 'node:path';
import { readManifest, writeManifest, type TensorSpec } from '../../src/main/compiler/manifest';
import { GraphBuilder, ops, saveToBuffer, type Tensor } from '../../src/main/compiler/onnx';

/** Adds `unet3d.onnx` (the fake) to a model folder that lacks a UNet3D; returns false if it has one. */
export function addFakeUnet3d(modelDir: string): boolean {
  const manifest = readManifest(modelDir);
  if (manifest.networks.some((n) => n.name === 'unet3d')) return false;
  const bankSpecs = manifest.networks.find((n) => n.name === 'appearance_encoder')!.outputs;
  const residualSpecs = manifest.networks.find((n) => n.name === 'controlnet')!.outputs;
  const [, , h, w] = manifest.networks.find((n) => n.name === 'controlnet')!.inputs[0].shape as number[];
  const g = new GraphBuilder('fake_unet3d');
  const inputs: TensorSpec[] = [];
  const input = (name: string, dtype: 'float32' | 'int64', shape: (number | string)[]): Tensor => {
    inputs.push({ name, dtype, shape });
    return g.input(name, dtype, shape);
  };
  const sample = input('sample', 'float32', [2, 4, 'frames', h, w]);
  input('timestep', 'int64', []);
  input('encoder_hidden_states', 'float32', [2, 77, 32]);
  let out = ops.add(g, ops.sin(g, ops.mul(g, sample, ops.scalar(g, 0.5))), ops.mul(g, ops.reduceMean(g, sample, [2]), ops.scalar(g, 0.3)));
  for (const spec of bankSpecs) {
    const bank = input(spec.name, 'float32', [2, ...spec.shape.slice(1)]);
    out = ops.add(g, out, ops.mul(g, ops.reduceMean(g, bank, [0, 1, 2]), ops.scalar(g, 0.01)));
  }
  for (const spec of residualSpecs) {
    const [, c, rh, rw] = spec.shape;
    const residual = input(spec.name, 'float32', [2, c, 'frames', rh, rw]);
    out = ops.add(g, out, ops.mul(g, ops.reduceMean(g, residual, [1, 3, 4]), ops.scalar(g, 0.01)));
  }
  g.output(out, 'noise_pred');
  const bytes = saveToBuffer(g);
  fs.writeFileSync(path.join(modelDir, 'unet3d.onnx'), bytes);
  manifest.networks.push({
    name: 'unet3d',
    file: 'unet3d.onnx',
    sizeBytes: bytes.length,
    inputs,
    outputs: [{ name: 'noise_pred', dtype: 'float32', shape: [2, 4, 'frames', h, w] }],
  });
  writeManifest(modelDir, manifest);
  return true;
}
