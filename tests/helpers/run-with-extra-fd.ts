import { spawn } from 'node:child_process';
import { repoRoot } from './paths';

/**
 * Above 15: Node marks the fds it inherited up to 15 close-on-exec at its start (libuv's
 * uv_disable_stdio_inheritance), so only a launcher's fd past that is handed on (the CI runner's pipe on fd 251 was).
 */
export const EXTRA_FD = 20;

/**
 * Runs a TypeScript fixture script in a Node process started with EXTRA_FD open on a socket of this one (not
 * close-on-exec there), and returns what the script printed as JSON on its last line.
 */
export function runWithExtraFd<Seen>(script: string, args: readonly string[]): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe', ...Array<'ignore'>(EXTRA_FD - 3).fill('ignore'), 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as Seen);
      } catch {
        reject(new Error(`${script} exited with ${code}:\n${out}\n${err}`));
      }
    });
  });
}
