import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** It had closed its output (stdout) and run on, so it was stopped: that, not the signal, is why it ended. */
  outputClosed?: true;
  /** A process it started still held its output open after it exited. */
  leftRunning?: true;
}

/**
 * The SDK's stdio transport, keeping how its process ended: the SDK only says that it closed, and "it exited"
 * leaves the person guessing between a crash, a bad argument and a sandbox limit.
 */
export class ExitRecordingStdioTransport extends StdioClientTransport {
  exit: ProcessExit | null = null;
  /** Its process closed its output (stdout) and went on running, so it was stopped: nothing it said could be read. */
  private outputClosed = false;

  override async start(): Promise<void> {
    await super.start();
    // The SDK keeps its child private; should that change, the ending is just unknown again ("it exited").
    const child = (this as unknown as { _process?: ChildProcess })._process;
    child?.once('exit', (code, signal) => {
      this.exit = { code, signal, ...(this.outputClosed ? { outputClosed: true as const } : {}) };
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
        this.outputClosed = true;
        void this.close().catch(() => undefined);
      }, OUTPUT_CLOSED_GRACE_MS);
      check.unref();
      child.once('exit', () => clearTimeout(check));
    });
  }
}

/** How long a process whose stdout ended may take to exit before it counts as running on without it, and the reverse. */
const OUTPUT_CLOSED_GRACE_MS = 1_000;

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
  if (exit?.outputClosed) return 'it closed its output (stdout) but kept running, so nothing it answered could be read, and Portcullis stopped it';
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
