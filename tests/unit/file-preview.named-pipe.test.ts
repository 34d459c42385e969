import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

describe("the approval dialog's diff of a write to a named pipe", () => {
  it.skipIf(process.platform === 'win32')('is not made, at once: waiting for a writer froze the whole app (every conversation, window and client)', () => {
    const workspace = tempDir();
    // What a server that may write the workspace can put where the model is then steered to write.
    execFileSync('mkfifo', [join(workspace, 'report.md')]);
    // In a process of its own: a wait on the pipe would block this one, past any test timeout.
    const script = `import { fileBeforeOf } from ${JSON.stringify(join(repoRoot, 'src', 'core', 'approvals', 'file-preview.ts'))};
      console.log(JSON.stringify(fileBeforeOf({ path: 'report.md', content: 'x' }, ${JSON.stringify(workspace)})));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.signal, run.stderr).toBeNull();
    expect(JSON.parse(run.stdout)).toEqual({});
  }, 30_000);
});
