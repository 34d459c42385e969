import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { PassThrough } from 'node:stream';
import { getDefaultEnvironment, StdioClientTransport, type StdioServerParameters } from '@modelcontextprotocol/sdk/client/stdio.js';
import { GROUP_OWNER_VARIABLE, ownerMark } from './orphaned-groups';
import { endGroup, OWN_PROCESS_GROUP, signalGroup, trackGroup } from './process-group';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why Portcullis stopped it (it closed its output and ran on, it stopped reading): that, not the signal, is why it ended. */
  stoppedBecause?: string;
  /** A process it started still held its output open after it exited. */
  leftRunning?: true;
}

/**
 * The SDK's stdio transport, keeping how its process ended: the SDK only says that it closed, and "it exited"
 * leaves the person guessing between a crash, a bad argument and a sandbox limit.
 */
export class ExitRecordingStdioTransport extends StdioClientTransport {
  exit: ProcessExit | null = null;
  /** Why Portcullis stopped its process, once it did. */
  private stoppedBecause: string | null = null;
  /** Messages sent to it not yet taken: written while its stdin was full, each waiting for it to drain. */
  private unread = 0;
  /** Its process group (its process's id), when it leads one of its own (`process-group.ts`). */
  private group: number | null = null;
  /** Its process, once started. */
  private child: ChildProcess | undefined;
  /** The end of what its group left running, once under way. */
  private groupEnded: Promise<void> | null = null;

  /**
   * A message to it, unless it stopped reading: a server that sends requests without end and reads none of the
   * answers had each kept in memory (a million pings: 2.9 GB), with a listener and a promise apiece. Past
   * MAX_UNREAD_MESSAGES it is stopped, and what is sent to it meanwhile is dropped: it would never read it.
   */
  override async send(...args: Parameters<StdioClientTransport['send']>): Promise<void> {
    if (this.stoppedBecause !== null) return;
    if (this.unread >= MAX_UNREAD_MESSAGES) {
      return this.stop(`it stopped reading what Portcullis sent it (${MAX_UNREAD_MESSAGES.toLocaleString('en-US')} messages were waiting), so Portcullis stopped it`);
    }
    this.unread++;
    try {
      await super.send(...args);
    } finally {
      this.unread--;
    }
  }

  /** Stops its process for `reason`, which its ending then says. */
  private stop(reason: string): void {
    this.stoppedBecause = reason;
    // What its pipes report as it goes (EPIPE on the writes it left unread) is no news, and would be taken for the reason.
    this.onerror = undefined;
    void this.close().catch(() => undefined);
  }

  /**
   * Sends `signal` to its process, and to the processes it started in its group when it has one. What is gone
   * already is no error.
   */
  signal(signal: NodeJS.Signals): void {
    if (this.group !== null && signalGroup(this.group, signal)) return;
    // Its own process, kept here: the SDK forgets it as soon as it starts closing it.
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  }

  /** Closes it as the SDK does (stdin, SIGTERM, SIGKILL), then ends what its process group left running. */
  override async close(): Promise<void> {
    await super.close();
    await this.endGroup();
  }

  private endGroup(): Promise<void> {
    if (this.group === null) return Promise.resolve();
    return (this.groupEnded ??= endGroup(this.group));
  }

  /** Starts its process as the SDK's `start` does, but detached (POSIX): leading a process group and session of its own. */
  private startInOwnGroup(sdk: SdkStdioInternals): Promise<void> {
    if (sdk._process) throw new Error('StdioClientTransport already started! If using Client class, note that connect() calls start() automatically.');
    const params = sdk._serverParams;
    return new Promise((resolve, reject) => {
      // No cross-spawn: it does nothing off Windows, and Windows starts through the SDK's own `start`.
      const child = spawn(params.command, params.args ?? [], {
        // Naming this Portcullis, so that a later one can tell what it left running from a process that took a number (`orphaned-groups.ts`).
        env: { ...getDefaultEnvironment(), ...params.env, ...ownerVariable() },
        stdio: ['pipe', 'pipe', params.stderr ?? 'inherit'],
        shell: false,
        cwd: params.cwd,
        detached: true,
      });
      sdk._process = child;
      child.on('error', (error) => {
        reject(error);
        sdk.onerror?.(error);
      });
      child.on('spawn', () => {
        this.group = child.pid ?? null;
        resolve();
      });
      child.on('close', () => {
        sdk._process = undefined;
        sdk.onclose?.();
      });
      child.stdin?.on('error', (error) => sdk.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => {
        try {
          sdk._readBuffer.append(chunk);
          sdk.processReadBuffer();
        } catch (error) {
          sdk.onerror?.(error as Error);
          sdk.close().catch(() => undefined);
        }
      });
      child.stdout?.on('error', (error) => sdk.onerror?.(error));
      if (sdk._stderrStream && child.stderr) child.stderr.pipe(sdk._stderrStream);
    });
  }

  override async start(): Promise<void> {
    const sdk = OWN_PROCESS_GROUP ? sdkInternals(this) : null;
    await (sdk ? this.startInOwnGroup(sdk) : super.start());
    // The SDK keeps its child private; should that change, the ending is just unknown again ("it exited").
    const child = (this as unknown as { _process?: ChildProcess })._process;
    this.child = child;
    if (this.group !== null) {
      trackGroup(this.group);
      // A server that ended by itself (crashed, exited) takes what it started in the background with it: each restart
      // would otherwise leave another set running.
      child?.once('close', () => void this.endGroup());
    }
    // Each message waiting for its stdin to drain holds a listener there (the SDK's): that many is no leak.
    child?.stdin?.setMaxListeners(MAX_UNREAD_MESSAGES + 10);
    child?.once('exit', (code, signal) => {
      this.exit = { code, signal, ...(this.stoppedBecause !== null ? { stoppedBecause: this.stoppedBecause } : {}) };
    });
    // The SDK hears a server go only once its output is closed too: a process it started in the background that
    // shares its stdout or stderr holds them open, and a server that exited stayed "connected" for ever, each call
    // waiting out its timeout. Its ends of the pipes are closed here, a moment after it exited.
    child?.once('exit', () => {
      const check = setTimeout(() => {
        if (this.exit) this.exit = { ...this.exit, leftRunning: true };
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, OUTPUT_CLOSED_GRACE_MS);
      check.unref();
      child.once('close', () => clearTimeout(check));
    });
    // The SDK hears a server go only when its process has ended: one that closed its stdout and ran on stayed
    // "connected" for ever, each call waiting out its timeout. A process that is exiting closes its output first,
    // so it is given a moment to end before it counts as running on.
    child?.stdout?.once('end', () => {
      const check = setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        this.stop('it closed its output (stdout) but kept running, so nothing it answered could be read, and Portcullis stopped it');
      }, OUTPUT_CLOSED_GRACE_MS);
      check.unref();
      child.once('exit', () => clearTimeout(check));
    });
  }
}

/** The SDK's private parts that starting its process takes; null should they change (it then starts it itself). */
interface SdkStdioInternals {
  _process?: ChildProcess;
  _serverParams: StdioServerParameters;
  _readBuffer: { append(chunk: Buffer): void };
  _stderrStream: PassThrough | null;
  processReadBuffer(): void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  close(): Promise<void>;
}

function ownerVariable(): Record<string, string> {
  const owner = ownerMark();
  return owner === null ? {} : { [GROUP_OWNER_VARIABLE]: owner };
}

function sdkInternals(transport: StdioClientTransport): SdkStdioInternals | null {
  const internals = transport as unknown as Partial<SdkStdioInternals>;
  const ready = internals._serverParams !== undefined && internals._readBuffer !== undefined && typeof internals.processReadBuffer === 'function' && internals._stderrStream !== undefined;
  return ready ? (internals as SdkStdioInternals) : null;
}

/** How long a process whose stdout ended may take to exit before it counts as running on without it, and the reverse. */
const OUTPUT_CLOSED_GRACE_MS = 1_000;
/** The most messages to a server that may wait for it to read them: Portcullis' own requests are few (its calls); thousands are answers to its own. */
const MAX_UNREAD_MESSAGES = 10_000;

const SIGNAL_WORDS: Partial<Record<NodeJS.Signals, string>> = {
  SIGXCPU: 'it used up its CPU-time limit',
  SIGXFSZ: 'it wrote a file larger than its limit',
  SIGSEGV: 'it crashed',
  SIGBUS: 'it crashed',
  SIGILL: 'it crashed',
  SIGABRT: 'it aborted',
  SIGKILL: 'it was killed',
  SIGTERM: 'it was told to stop',
};

function signalName(number: number): NodeJS.Signals | null {
  const entry = Object.entries(constants.signals).find(([, value]) => value === number);
  return entry ? (entry[0] as NodeJS.Signals) : null;
}

/**
 * "it exited with code 3", "it crashed (SIGSEGV)". A sandboxed server is a shell or bubblewrap's child, and those
 * report a child's death by signal N as exit code 128 + N, so such a code is read as that signal too.
 */
export function describeExit(exit: ProcessExit | null): string {
  if (exit?.stoppedBecause) return exit.stoppedBecause;
  const ended = howItEnded(exit);
  return exit?.leftRunning ? `${ended}, leaving a process it started running that holds its output open` : ended;
}

function howItEnded(exit: ProcessExit | null): string {
  if (!exit || (exit.code === null && exit.signal === null)) return 'it exited';
  const signal = exit.signal ?? (exit.code !== null && exit.code > 128 ? signalName(exit.code - 128) : null);
  if (signal) {
    const words = SIGNAL_WORDS[signal] ?? 'it was stopped by a signal';
    return exit.signal ? `${words} (${signal})` : `${words} (${signal}: exit code ${exit.code})`;
  }
  return `it exited with code ${exit.code}`;
}
