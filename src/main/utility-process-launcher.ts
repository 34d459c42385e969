import { utilityProcess } from 'electron';
import { findPrlimit, limitCpuOf } from '../core/sandbox/cpu-limit';
import { OutputTail, workerArguments, type WorkerLauncher } from '../core/sandbox/worker-launcher';
import type { FromWorkerMessage } from '../core/sandbox/worker-protocol';

/**
 * Starts tool workers as Electron utility processes (the Electron twin of `fork-launcher.ts`, same entry and
 * messages). Unlike `child_process.fork`, a utility process does not honour Node's `--permission` flags or
 * `--max-old-space-size` (Electron hands execArgv to Node unparsed), so here the path checks in
 * `workspace-path.ts` are the worker's only wall around the workspace, and the heap limit is held by a thread the
 * worker runs its tools in (`--heap-in-thread`, resourceLimits). The CPU-time limit is set on the running process
 * with prlimit (Linux), since it cannot be started through prlimit.
 */
export function createUtilityProcessLauncher(workerEntry: string, limits: { maxHeapMb?: number; cpuSeconds?: number } = {}): WorkerLauncher {
  const prlimit = limits.cpuSeconds ? findPrlimit() : undefined;
  return (workspace) => {
    const { args } = workerArguments(workspace);
    if (limits.maxHeapMb) args.push(`--heap-in-thread=${limits.maxHeapMb}`);
    const child = utilityProcess.fork(workerEntry, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'Portcullis tool worker',
    });
    if (prlimit && limits.cpuSeconds) {
      const seconds = limits.cpuSeconds;
      child.once('spawn', () => {
        if (child.pid) void limitCpuOf(child.pid, seconds, prlimit);
      });
    }
    const stderr = new OutputTail();
    child.stderr?.on('data', (chunk: Buffer) => stderr.append(chunk));
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    return {
      send: (message) => {
        // Posting to a dead process throws; the runner learns of the death through onExit instead.
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => void child.on('message', (message: unknown) => listener(message as FromWorkerMessage)),
      onExit: (listener) => void child.on('exit', (code) => listener(code)),
      stderrTail: () => stderr.toString(),
      kill: () => {
        if (!exited) child.kill();
      },
    };
  };
}
