// Free memory where the provider's device reports it, to set against the memory plan:
//   cpu   MemAvailable from /proc/meminfo (Linux), else os.freemem()
//   cuda  `nvidia-smi --query-gpu=memory.free,memory.total` when the tool is on PATH (first GPU)
//   dml, webgpu: onnxruntime-node exposes no query, so null ("not reported")
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { ProviderName } from './runtime';

export interface DeviceMemory {
  freeBytes: number;
  totalBytes: number;
  /** Where the figure comes from, for the message ("system RAM", "nvidia-smi"). */
  source: string;
}

function cpuMemory(): DeviceMemory {
  try {
    const available = /^MemAvailable:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
    if (available) return { freeBytes: Number(available[1]) * 1024, totalBytes: os.totalmem(), source: 'system RAM' };
  } catch {
    // not Linux: fall through
  }
  return { freeBytes: os.freemem(), totalBytes: os.totalmem(), source: 'system RAM' };
}

function nvidiaMemory(): DeviceMemory | null {
  const r = spawnSync('nvidia-smi', ['--query-gpu=memory.free,memory.total', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 3000 });
  const match = r.status === 0 ? /^\s*(\d+),\s*(\d+)/.exec(r.stdout) : null;
  if (!match) return null;
  return { freeBytes: Number(match[1]) * 2 ** 20, totalBytes: Number(match[2]) * 2 ** 20, source: 'nvidia-smi' };
}

export function deviceMemory(provider: ProviderName): DeviceMemory | null {
  if (provider === 'cpu') return cpuMemory();
  if (provider === 'cuda') return nvidiaMemory();
  return null;
}
