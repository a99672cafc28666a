// The model's text embedding: CLIP("") computed once at compile time, or supplied as a file.
// Both CFG halves of MagicAnimate use the empty prompt (README of the tiny fixtures, fact 4), so
// this one [1, 77, cross_attention_dim] tensor is all the runtime needs from the text side.
import fs from 'node:fs';
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import { createSession, int64Tensor, tensorData } from '../engine/runtime';
import { saveToFile } from './onnx';
import { buildTextEncoder, emptyPromptTokens, findTextEncoderFiles, parseClipTextConfig } from './textEncoder';
import { openSafetensors, readSafetensorsFile, type SafetensorsTensor } from './weights/safetensors';
import type { WeightSource } from './weights/source';
import { openTorchCheckpoint } from './weights/torchFile';

export const TEXT_EMBEDDING_KEY = 'text_embedding';

export function openCheckpoint(file: string): WeightSource {
  return file.endsWith('.safetensors') ? openSafetensors(file) : openTorchCheckpoint(file);
}

/** Reads a supplied embedding file: one tensor (preferably `text_embedding`) of shape [1, L, dim]. */
export function loadTextEmbedding(file: string, dim: number): SafetensorsTensor {
  const tensors = readSafetensorsFile(file);
  const tensor = tensors.get(TEXT_EMBEDDING_KEY) ?? (tensors.size === 1 ? [...tensors.values()][0] : undefined);
  if (!tensor) {
    throw new StudioFailure('model_invalid', `${file}: expected a tensor "${TEXT_EMBEDDING_KEY}", found ${[...tensors.keys()].join(', ') || 'none'}`, { file });
  }
  const [batch, , width] = tensor.shape;
  if (tensor.shape.length !== 3 || batch !== 1 || width !== dim) {
    throw new StudioFailure('model_invalid', `${file}: text embedding has shape [${tensor.shape}], expected [1, 77, ${dim}] for this UNet`, { file });
  }
  return tensor;
}

/**
 * Builds SD1.5's CLIP text encoder into `workDir`, runs it once on the empty prompt on the CPU,
 * and deletes the graph again. Returns last_hidden_state [1, 77, hidden].
 */
export async function computeEmptyPromptEmbedding(sd15Dir: string, workDir: string, threads = 0): Promise<SafetensorsTensor> {
  const files = findTextEncoderFiles(sd15Dir);
  const config = parseClipTextConfig(JSON.parse(fs.readFileSync(files.config, 'utf8')), files.config);
  const onnxPath = path.join(workDir, 'text_encoder.tmp.onnx');
  try {
    saveToFile(buildTextEncoder(openCheckpoint(files.weights), config), onnxPath, { externalData: 'always' });
    const session = await createSession(onnxPath, { provider: 'cpu', threads });
    try {
      const length = config.max_position_embeddings;
      const ids = Array.from(emptyPromptTokens(length), Number);
      const out = await session.run({ input_ids: int64Tensor(ids, [1, length]) });
      return { shape: [1, length, config.hidden_size], data: Float32Array.from(tensorData(out.last_hidden_state)) };
    } finally {
      await session.release();
    }
  } finally {
    fs.rmSync(onnxPath, { force: true });
    fs.rmSync(`${onnxPath}.data`, { force: true });
  }
}
