// Child process for the "killed while saving" fault: saves the same project over and over through
// the real project.save handler (ProjectService behind the dispatcher), version 1, 2, 3…, and
// prints "saved N" after each save returns. The parent SIGKILLs it at a random moment.
//   tsx tests/reliability/saveLoopChild.ts <dataDir> <projectFile>
import { createDispatcher } from '../../src/main/services/dispatcher';
import { ProjectService } from '../../src/main/services/projectService';
import type { Project } from '../../src/shared/projectFile';

const [dataDir, file] = process.argv.slice(2);
const quiet = { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };
const projects = new ProjectService({ dataDir, settings: null, log: quiet, ensureDemo: () => Promise.reject(new Error('no demo here')) });
const dispatcher = createDispatcher(projects.handlers(), { log: quiet });

async function main(): Promise<void> {
  const fresh = await dispatcher.dispatch('project.new', { name: 'v0' });
  if (!fresh.ok) throw new Error(fresh.error.message);
  const base = fresh.value as Project;
  for (let version = 1; ; version++) {
    // 40 takes make each file ~20 kB (several pages), so a torn or interleaved write would show.
    const takes = Array.from({ length: 40 }, (_, i) => ({
      jobId: `job-${version}-${i}`,
      name: `take ${i} of v${version}`,
      params: base.render,
      createdAt: new Date().toISOString(),
      status: 'success' as const,
    }));
    const project: Project = { ...base, name: `v${version}`, playhead: version, takes, modifiedAt: new Date().toISOString() };
    const saved = await dispatcher.dispatch('project.save', { path: file, project });
    if (!saved.ok) throw new Error(saved.error.message);
    process.stdout.write(`saved ${version}\n`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
