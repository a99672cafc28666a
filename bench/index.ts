// `npm run bench [-- NAME ...]`: runs every bench/*.bench.ts (or the named ones) one after the
// other and prints their figures. Benchmarks print medians and ratios; they never assert.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface BenchModule {
  /** One line saying what the benchmark measures. */
  description: string;
  run(): Promise<void>;
}

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.includes(basename(f, '.bench.ts')))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${only.join(', ')}`);
  process.exit(2);
}
for (const file of files) {
  const mod = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as BenchModule;
  console.log(`\n== ${basename(file, '.bench.ts')}: ${mod.description}`);
  const started = performance.now();
  await mod.run();
  console.log(`   (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
