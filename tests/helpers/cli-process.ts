import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cliBin } from './paths';

const run = promisify(execFile);

/** Runs the built `portcullis` command as a terminal would, with its exit code, whatever it is. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliBin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
