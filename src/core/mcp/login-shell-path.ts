import { execFile } from 'node:child_process';
import { delimiter } from 'node:path';

const MARK = '__PORTCULLIS_PATH__';

/**
 * The PATH the person's login shell sets up (Homebrew, nvm, uv, ~/.local/bin…), or null when it cannot be read in
 * `timeoutMs`. A desktop app started from the Dock or a launcher gets only the system's short PATH, so `npx` or
 * `uvx` in a pasted config would not be found; terminals get the long one from the shell's startup files. Those
 * files may print anything, so the value is read between markers.
 */
export function readLoginShellPath(shell: string | undefined = process.env.SHELL, timeoutMs = 3_000): Promise<string | null> {
  if (!shell || process.platform === 'win32') return Promise.resolve(null);
  return new Promise((resolve) => {
    execFile(shell, ['-ilc', `printf '${MARK}%s${MARK}' "$PATH"`], { timeout: timeoutMs, encoding: 'utf8', env: process.env }, (error, stdout) => {
      const match = new RegExp(`${MARK}(.*?)${MARK}`, 's').exec(stdout ?? '');
      resolve(!error && match?.[1] ? match[1] : null);
    });
  });
}

/** `current` with the folders of `fromShell` it lacks put first, in the shell's order; nothing is dropped. */
export function mergePaths(current: string | undefined, fromShell: string): string {
  const have = (current ?? '').split(delimiter).filter(Boolean);
  const added = fromShell.split(delimiter).filter((dir) => dir && !have.includes(dir));
  return [...new Set([...added, ...have])].join(delimiter);
}

/** Gives this process (and so every MCP server it starts) the login shell's PATH as well as its own. */
export async function adoptLoginShellPath(): Promise<void> {
  const fromShell = await readLoginShellPath();
  if (fromShell) process.env.PATH = mergePaths(process.env.PATH, fromShell);
}
