import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergePaths, readLoginShellPath } from '../../src/core/mcp/login-shell-path';
import { tempDir } from '../helpers/temp-dir';

/** A stand-in for the person's shell: a script that runs the command it is given, after `prelude`. */
function fakeShell(prelude: string): string {
  const file = join(tempDir(), 'shell');
  writeFileSync(file, `#!/bin/sh\n${prelude}\nshift\nexec /bin/sh -c "$1"\n`);
  chmodSync(file, 0o755);
  return file;
}

describe("the login shell's PATH, for servers a desktop launch would not find", () => {
  it('is read between markers, whatever the startup files print', async () => {
    const shell = fakeShell('echo "Welcome! nvm is loading"; export PATH="/opt/homebrew/bin:$HOME/.nvm/bin:$PATH"');
    const path = await readLoginShellPath(shell);
    expect(path).toMatch(/^\/opt\/homebrew\/bin:.*\/\.nvm\/bin:/);
    expect(path).not.toContain('Welcome');
  });

  it('is null when the shell fails or takes too long', async () => {
    expect(await readLoginShellPath(fakeShell('exit 3'))).toBeNull();
    expect(await readLoginShellPath(fakeShell('sleep 5'), 300)).toBeNull();
    expect(await readLoginShellPath(join(tempDir(), 'no-such-shell'))).toBeNull();
  });

  it("adds the shell's folders first and drops none of this process's", () => {
    expect(mergePaths('/usr/bin:/bin', '/opt/homebrew/bin:/usr/bin:/Users/me/.local/bin')).toBe('/opt/homebrew/bin:/Users/me/.local/bin:/usr/bin:/bin');
    expect(mergePaths(undefined, '/a')).toBe('/a');
  });
});
