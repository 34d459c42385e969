/**
 * The tool worker process: runs the built-in tools' code, confined to one workspace folder.
 * Started by `child_process.fork` (Node) or `utilityProcess.fork` (Electron) with the same arguments and messages.
 * With `--heap-in-thread=<MB>` (a process with no heap limit of its own: Electron's) the tools run in a thread
 * limited to that heap, and this process relays the messages.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closeHandedOnFds } from '../core/sandbox/inherited-fds';
import type { FromWorkerMessage, ToWorkerMessage } from '../core/sandbox/worker-protocol';
import type { WorkspaceScope } from '../core/sandbox/workspace-scope';
import { answerCall } from './answer-call';
import { callsInHeapLimitedThread } from './heap-limited-thread';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const { values } = parseArgs({
  options: {
    workspace: { type: 'string' },
    'off-limits': { type: 'string', multiple: true },
    'inherited-fd': { type: 'string', multiple: true },
    'heap-in-thread': { type: 'string' },
  },
  strict: false,
});
// What Portcullis inherited (a supervisor's pipe, a socket) is none of the tools' business: closed before any call
// (fds are the process's, so before the tool thread too).
const inherited = values['inherited-fd'];
if (Array.isArray(inherited)) closeHandedOnFds(inherited.filter((fd): fd is string => typeof fd === 'string'));
if (typeof values.workspace !== 'string') {
  console.error('tool-worker: --workspace is required');
  process.exit(2);
}
const offLimits = values['off-limits'];
const workspace: WorkspaceScope = {
  root: values.workspace,
  offLimits: Array.isArray(offLimits) ? offLimits.filter((p): p is string => typeof p === 'string') : [],
};

// Electron's utilityProcess talks through process.parentPort; child_process.fork through process.send.
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const send = (message: FromWorkerMessage): void => {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
};

const heapInThreadMb = Number(values['heap-in-thread']);
const handle: (message: ToWorkerMessage) => void =
  heapInThreadMb > 0 ? callsInHeapLimitedThread(join(__dirname, 'tool-thread.js'), workspace, heapInThreadMb, send) : (message) => void answerCall(workspace, message, send);

if (parentPort) parentPort.on('message', (event) => handle(event.data as ToWorkerMessage));
else process.on('message', (message) => handle(message as ToWorkerMessage));
// The worker's life is bound to its parent: when the IPC channel closes, it exits.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
