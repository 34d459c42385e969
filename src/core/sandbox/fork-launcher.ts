import { fork } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { handedOnFds } from './inherited-fds';
import type { FromWorkerMessage } from './worker-protocol';
import { OutputTail, workerArguments, type WorkerLauncher } from './worker-launcher';

/**
 * Starts tool workers with `child_process.fork` under Node's permission model: the worker may read its own code
 * and the workspace, write only the workspace, and may not spawn processes, threads or load addons. This is the
 * second wall behind the path checks in `workspace-path.ts`.
 */
export interface WorkerLimits {
  /** V8 old-space limit; a worker that needs more dies and is replaced. */
  maxHeapMb?: number;
  /** CPU time per worker process (RLIMIT_CPU through prlimit, where available). */
  cpuSeconds?: number;
  /**
   * Applies `maxHeapMb` to a thread the worker runs its tools in (`--heap-in-thread`), not to the process, as it must
   * in an Electron utility process: here to test and measure that mode under Node. The thread is allowed
   * (`--allow-worker`); the process itself then has no heap limit.
   */
  heapInThread?: boolean;
}

export function createForkLauncher(workerEntry: string, limits: WorkerLimits = {}): WorkerLauncher {
  const codeDir = dirname(realpathSync(workerEntry));
  const prlimit = limits.cpuSeconds && process.platform === 'linux' ? ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p)) : undefined;
  return (workspace) => {
    const { root, args } = workerArguments(workspace);
    // libuv hands a fork every fd Portcullis inherited above 15 (a supervisor's or CI runner's pipe), with no option
    // to close them in the child, and Node cannot mark them close-on-exec: the worker closes those named here before
    // it takes any call (its stdio and IPC channel are 0..3). Linux only (/proc); elsewhere they are left as they are.
    // Electron's utilityProcess goes through Chromium's launcher, which closes the fds it does not map (not tested here).
    for (const fd of handedOnFds(3)) args.push('--inherited-fd', fd);
    const nodeArgs = ['--permission', `--allow-fs-read=${codeDir}`, `--allow-fs-read=${root}`, `--allow-fs-write=${root}`];
    if (limits.maxHeapMb && limits.heapInThread) {
      nodeArgs.push('--allow-worker');
      args.push(`--heap-in-thread=${limits.maxHeapMb}`);
    } else if (limits.maxHeapMb) nodeArgs.push(`--max-old-space-size=${limits.maxHeapMb}`);
    // With prlimit, fork runs `prlimit --cpu=N -- node <flags> worker.js`; the IPC channel passes through exec.
    const child = fork(workerEntry, args, {
      ...(prlimit ? { execPath: prlimit } : {}),
      execArgv: prlimit ? [`--cpu=${limits.cpuSeconds}`, '--core=0', '--', process.execPath, ...nodeArgs] : nodeArgs,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const stderr = new OutputTail();
    child.stderr?.on('data', (chunk: Buffer) => stderr.append(chunk));
    return {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as FromWorkerMessage)),
      onExit: (listener) => {
        child.on('exit', (code) => listener(code));
        child.on('error', () => listener(null)); // e.g. the process could not be started at all
      },
      stderrTail: () => stderr.toString(),
      kill: () => void child.kill('SIGKILL'),
    };
  };
}
