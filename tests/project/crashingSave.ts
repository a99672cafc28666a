// Run as a child process by projectFile.test.ts: saves a project and kills itself with SIGKILL
// after the temp file is durable and before the rename — a real crash at the worst moment.
import { readFileSync } from 'node:fs';
import { writeProjectFile } from '../../src/main/project/projectFile';
import type { Project } from '../../src/shared/projectFile';

const [file, projectJson] = process.argv.slice(2);
const project = JSON.parse(readFileSync(projectJson, 'utf8')) as Project;
void writeProjectFile(file, project, {
  beforeRename: () => {
    process.kill(process.pid, 'SIGKILL');
  },
});
