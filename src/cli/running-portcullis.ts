import { request } from 'node:http';
import WebSocket from 'ws';
import type { AppEvent } from '../shared/api/contract';
import { existsSync } from 'node:fs';
import type { InvokeResult } from '../shared/api/wire';
import { AppError, type ErrorCode } from '../shared/errors';
import { dataFolderPaths } from '../core/config/data-paths';
import { ownedByAnother, recordedOwnerPid } from '../core/runtime/data-folder-owner';
import { processAlive } from '../core/runtime/process-lock';
import { inspectTerminalAccess, terminalAccessFile, type TerminalAccess, type TerminalAccessRead } from '../core/runtime/terminal-access';

/** The local API of the Portcullis running on the command's data folder, as that folder's `terminal-access.json` names it. */
export interface RunningApi {
  readonly pid: number;
  /** One request; its output, or an AppError with the code and words it answered. */
  call<T>(channel: string, input: unknown): Promise<T>;
  /** A connection that hears its events too (a turn's end), as the app's own window does; its requests as `call`'s. */
  connect(onEvent: (event: AppEvent) => void): Promise<RunningSession>;
}

export interface RunningSession {
  call<T>(channel: string, input: unknown): Promise<T>;
  /** Settles when the connection ends (closed here, or the running Portcullis stopped). */
  closed: Promise<void>;
  close(): void;
}

/**
 * Whether another Portcullis runs on the data folder, and how to reach it: `alone` (none: the command runs its own
 * runtime, as always), `reachable` (its local API, through which the command lists and calls), or `unreachable` (it
 * runs, but serves no way in: another `portcullis` command owns the folder, or an older Portcullis, or its
 * terminal-access.json is damaged; `why` says which, as a clause).
 */
export type Beside = { kind: 'alone' } | { kind: 'unreachable'; pid: number | null; why: string } | { kind: 'reachable'; api: RunningApi };

export function besideRunningPortcullis(dataDir: string | undefined): Beside {
  const folder = dataFolderPaths(dataDir).dataDir;
  // With no process on the folder a file there, damaged or not, is a crash's leftover: the command runs alone, as always.
  if (!existsSync(folder) || !ownedByAnother(folder)) return { kind: 'alone' };
  const pid = recordedOwnerPid(folder);
  const read = inspectTerminalAccess(folder);
  // A file a crashed run left names a process that no longer owns the folder: its token is sent nowhere.
  if (read.kind !== 'read' || read.access.pid !== pid || !processAlive(read.access.pid)) return { kind: 'unreachable', pid, why: unreachableWords(folder, read) };
  return { kind: 'reachable', api: runningApi(read.access) };
}

/**
 * Why the Portcullis running on the folder cannot be reached by a command, as a clause: no way in served (a
 * `portcullis` command owns the folder, or a Portcullis from before 0.1), or a damaged way in, which only its restart
 * mends (it writes the file when its local API starts).
 */
export function whyUnreachable(dataDir: string): string {
  return unreachableWords(dataDir, inspectTerminalAccess(dataDir));
}

function unreachableWords(dataDir: string, read: TerminalAccessRead): string {
  if (read.kind === 'damaged') return `its way in for commands, ${terminalAccessFile(dataDir)}, is damaged (${read.why}), so this command cannot reach it; restarting that Portcullis (the app, or \`serve\`) writes the file afresh`;
  return 'it serves no way in for this command (no terminal-access.json of its own in its data folder): a `portcullis` command, not the app or `serve`, or a Portcullis from before 0.1';
}

/**
 * How long a request that waits on no one may go without a byte of its answer: a Portcullis that has it and says
 * nothing for that long is stuck (stopped, its event loop held), and the command would otherwise wait for ever.
 * A direct call waits for the person's approval, or a long tool, so it has no such limit (Ctrl+C ends it).
 */
export const QUIET_LIMIT_MS = 60_000;
const WAITS_ON_SOMEONE = new Set(['tools.call']);

export function runningApi(access: TerminalAccess, quietLimitMs: number = QUIET_LIMIT_MS): RunningApi {
  return {
    pid: access.pid,
    connect: (onEvent) => connectTo(access, onEvent),
    call: <T>(channel: string, input: unknown) =>
      new Promise<T>((resolve, reject) => {
        const body = JSON.stringify(input);
        // node:http, not fetch: a call waiting for the person's approval, or a long tool, outlasts fetch's header timeout.
        const sent = request(
          {
            ...(access.socket === undefined ? { host: '127.0.0.1', port: access.port } : { socketPath: access.socket }),
            path: `/api/${channel}`,
            method: 'POST',
            headers: { authorization: `Bearer ${access.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => {
              let reply: InvokeResult;
              try {
                reply = JSON.parse(text) as InvokeResult;
              } catch {
                reject(new AppError('INTERNAL', `The Portcullis running on this data folder (pid ${access.pid}) answered HTTP ${response.statusCode} to ${channel}, not JSON.`));
                return;
              }
              if (reply.ok) resolve(reply.output as T);
              else reject(new AppError(reply.error.code as ErrorCode, reply.error.message));
            });
          },
        );
        sent.on('error', (error) => reject(new AppError('INTERNAL', `The Portcullis running on this data folder (pid ${access.pid}) could not be reached on ${access.socket ?? `127.0.0.1:${access.port}`}: ${error.message}.`)));
        if (!WAITS_ON_SOMEONE.has(channel)) {
          sent.setTimeout(quietLimitMs, () => {
            reject(new AppError('INTERNAL', `The Portcullis running on this data folder (pid ${access.pid}) took ${channel} and said nothing for ${quietLimitMs / 1000} s; it may be stuck. Check its window or log, or restart it.`));
            sent.destroy();
          });
        }
        sent.end(body);
      }),
  };
}

/** The local API's WebSocket (`/api`): requests by id, and the events the terminal may receive (scope `chat`). */
function connectTo(access: TerminalAccess, onEvent: (event: AppEvent) => void): Promise<RunningSession> {
  const where = access.socket ?? `127.0.0.1:${access.port}`;
  const unreachable = (why: string) => new AppError('INTERNAL', `The Portcullis running on this data folder (pid ${access.pid}) could not be reached on ${where}: ${why}.`);
  const ws = access.socket === undefined
    ? new WebSocket(`ws://127.0.0.1:${access.port}/api`, { headers: { authorization: `Bearer ${access.token}` } })
    // Node's client names a socket's host "localhost", which is what the app accepts there.
    : new WebSocket(`ws+unix://${access.socket}:/api`, { headers: { authorization: `Bearer ${access.token}`, host: 'localhost' } });
  const waiting = new Map<number, { resolve: (output: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  ws.on('message', (data) => {
    let frame: { type?: string; id?: number; ok?: boolean; output?: unknown; error?: { code: string; message: string }; channel?: AppEvent['channel']; payload?: unknown };
    try {
      frame = JSON.parse(String(data)) as typeof frame;
    } catch {
      return;
    }
    if (frame.type === 'event' && frame.channel) onEvent({ channel: frame.channel, payload: frame.payload } as AppEvent);
    if (frame.type !== 'response' || frame.id === undefined) return;
    const pending = waiting.get(frame.id);
    waiting.delete(frame.id);
    if (!pending) return;
    if (frame.ok) pending.resolve(frame.output);
    else pending.reject(new AppError((frame.error?.code ?? 'INTERNAL') as ErrorCode, frame.error?.message ?? 'The running Portcullis answered without a result.'));
  });
  const closed = new Promise<void>((resolve) =>
    ws.on('close', () => {
      for (const pending of waiting.values()) pending.reject(unreachable('it closed the connection'));
      waiting.clear();
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    ws.once('error', (error) => reject(unreachable(error.message)));
    ws.once('open', () =>
      resolve({
        call: <T>(channel: string, input: unknown) =>
          new Promise<T>((done, fail) => {
            const id = nextId++;
            waiting.set(id, { resolve: done as (output: unknown) => void, reject: fail });
            ws.send(JSON.stringify({ type: 'request', id, channel, input }));
          }),
        closed,
        close: () => ws.close(),
      }),
    );
  });
}
