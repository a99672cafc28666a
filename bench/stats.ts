// Order statistics for benchmark samples.
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export function summary(samples: readonly number[], unit = 'ms'): string {
  const f = (v: number): string => v.toFixed(1);
  return `n=${samples.length} p50=${f(median(samples))}${unit} p95=${f(percentile(samples, 95))}${unit} max=${f(Math.max(...samples))}${unit}`;
}
