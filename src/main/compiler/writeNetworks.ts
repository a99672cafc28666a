// Writes each planned network in turn, reporting progress per network and per tensor, and
// collects which checkpoint keys were consumed.
import fs from 'node:fs';
import path from 'node:path';
import type { NetworkEntry, NetworkName } from './manifest';
import type { PlannedNetwork } from './networkPlan';
import { instrumentedSource } from './weights/overlay';
import type { NetworkGraph } from './networks/network';
import { bytesPerWeight } from './onnx/save';

export type CompileProgress =
  | { phase: 'text-embedding'; fraction: number }
  | { phase: 'network'; network: NetworkName; index: number; count: number; tensor: number; tensors: number; fraction: number }
  | { phase: 'manifest'; fraction: number }
  | { phase: 'done'; fraction: number };

/**
 * Above this many bytes of stored weights a network gets an external `.onnx.data` file. Inline
 * weights are encoded in memory (twice: message and bytes), so this bounds the compile's memory;
 * it is well below protobuf's 2 GB limit.
 */
export const INLINE_WEIGHTS_LIMIT = 256 * 1024 * 1024;

function storedWeightBytes(net: NetworkGraph): number {
  return net.graph.lazyInitializers.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * bytesPerWeight(w.dtype), 0);
}

const ioSpec = (io: { name: string; dtype: string; shape: readonly (number | string)[] }) => ({
  name: io.name,
  dtype: io.dtype as NetworkEntry['inputs'][number]['dtype'],
  shape: [...io.shape],
});

export function writeNetworks(
  plan: readonly PlannedNetwork[],
  dir: string,
  onProgress: (event: CompileProgress) => void,
  checkCancelled: () => void,
  inlineWeightsLimit = INLINE_WEIGHTS_LIMIT,
): { networks: NetworkEntry[]; unusedKeys: Record<string, string[]> } {
  const networks: NetworkEntry[] = [];
  const keysByFile = new Map<string, { all: string[]; used: Set<string> }>();
  plan.forEach((planned, index) => {
    checkCancelled();
    let tensors = 0;
    const report = (tensor: number) => {
      const fraction = (index + (tensors ? tensor / tensors : 0)) / plan.length;
      onProgress({ phase: 'network', network: planned.name, index, count: plan.length, tensor, tensors, fraction });
    };
    const opened = planned.openWeights();
    const weights = instrumentedSource(opened.weights, (e) => report(e.index + 1), checkCancelled);
    const net = planned.build(weights);
    tensors = weights.usedKeys().size;
    report(0);
    const file = `${planned.name}.onnx`;
    const externalData = storedWeightBytes(net) > inlineWeightsLimit ? 'always' : 'never';
    const written = net.save(path.join(dir, file), { externalData });
    const dataFile = written.dataPath ? path.basename(written.dataPath) : undefined;
    networks.push({
      name: planned.name,
      file,
      sizeBytes: fs.statSync(written.path).size,
      ...(dataFile ? { dataFile, dataSizeBytes: fs.statSync(path.join(dir, dataFile)).size } : {}),
      inputs: net.inputs.map(ioSpec),
      outputs: net.outputs.map(ioSpec),
    });
    for (const { file: checkpoint, source } of opened.checkpoints) {
      const entry = keysByFile.get(checkpoint) ?? { all: source.keys(), used: new Set<string>() };
      for (const key of source.usedKeys()) entry.used.add(key);
      keysByFile.set(checkpoint, entry);
    }
  });
  const unusedKeys: Record<string, string[]> = {};
  for (const [file, { all, used }] of keysByFile) {
    const unused = all.filter((k) => !used.has(k));
    if (unused.length) unusedKeys[file] = unused;
  }
  return { networks, unusedKeys };
}
