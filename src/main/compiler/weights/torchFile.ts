// Opens a torch.save checkpoint in whichever format it was written: the zip archive (torch ≥ 1.6)
// or the legacy stream of pickles, told apart by their first bytes.
import fs from 'node:fs';
import { StudioFailure } from '../../../shared/result';
import type { WeightSource } from './source';
import { isLegacyTorchHead, openTorchLegacy } from './torchLegacy';
import { torchInvalid } from './torchViews';
import { openTorchZip } from './torchZip';

function readHead(file: string): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new StudioFailure('model_missing', `cannot open ${file}: ${(error as Error).message}`, { file });
  }
  try {
    const head = Buffer.alloc(8);
    return head.subarray(0, fs.readSync(fd, head, 0, 8, 0));
  } finally {
    fs.closeSync(fd);
  }
}

export function openTorchCheckpoint(file: string): WeightSource {
  const head = readHead(file);
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return openTorchZip(file);
  if (isLegacyTorchHead(head)) return openTorchLegacy(file);
  if (head.length === 0) throw torchInvalid(file, 'the file is empty');
  // Neither format: let the zip reader say what it finds (a zip whose first entry is not at 0, or nothing).
  try {
    return openTorchZip(file);
  } catch (error) {
    if (error instanceof StudioFailure && /not a zip archive/.test(error.message)) {
      throw torchInvalid(file, 'neither a torch.save zip archive nor a legacy torch.save file (or it is truncated)');
    }
    throw error;
  }
}
