/**
 * The tool thread: where the tool worker runs the built-in tools when its process has no heap limit of its own (an
 * Electron utility process), so the thread's resourceLimits are one. Started by `heap-limited-thread.ts`; speaks the
 * worker protocol with the worker's main thread, which relays it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ToWorkerMessage } from '../core/sandbox/worker-protocol';
import type { WorkspaceScope } from '../core/sandbox/workspace-scope';
import { answerCall } from './answer-call';

const workspace = workerData as WorkspaceScope;
const port = parentPort!;
port.on('message', (message: ToWorkerMessage) => void answerCall(workspace, message, (answer) => port.postMessage(answer)));
