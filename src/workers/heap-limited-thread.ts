import { HEAP_BREACH_WORDS } from '../core/sandbox/heap-breach';
import type { FromWorkerMessage, ToWorkerMessage } from '../core/sandbox/worker-protocol';
import type { WorkspaceScope } from '../core/sandbox/workspace-scope';

/**
 * Runs the tool worker's calls in a worker thread whose heap is limited to `heapMb` (old generation; the young one
 * an eighth of it, 4 to 64 MB; V8's default 4 MB stack), for a process whose own heap has no limit: an Electron
 * utility process ignores `--max-old-space-size`. Returns what passes a call to the thread; answers go to `send`.
 * When the thread dies (at its heap limit, or of anything else) the process says why on stderr, as V8 would, and
 * exits, so the runner reports and replaces it as it does a forked worker that died.
 */
export function callsInHeapLimitedThread(threadEntry: string, workspace: WorkspaceScope, heapMb: number, send: (message: FromWorkerMessage) => void): (message: ToWorkerMessage) => void {
  // Loaded here, not at the worker's start: node:worker_threads takes ~0.8 ms to load, which a worker that runs its
  // tools on its own thread (every forked one) would pay for nothing.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const thread = new Worker(threadEntry, {
    workerData: workspace,
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, Math.round(heapMb / 8))), stackSizeMb: 4 },
  });
  let why = 'the tool thread stopped';
  thread.on('message', send);
  thread.on('error', (error: Error & { code?: string }) => {
    why = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `FATAL ERROR: a tool call ran past the ${heapMb} MB heap limit - ${HEAP_BREACH_WORDS}` : `the tool thread crashed: ${error.stack ?? error.message}`;
  });
  thread.on('exit', (code) => {
    process.stderr.write(`${why} (thread exit code ${code})\n`, () => process.exit(70));
  });
  return (message) => thread.postMessage(message);
}
