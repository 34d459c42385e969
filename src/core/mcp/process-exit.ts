import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The SDK's stdio transport, keeping how its process ended: the SDK only says that it closed, and "it exited"
 * leaves the person guessing between a crash, a bad argument and a sandbox limit.
 */
export class ExitRecordingStdioTransport extends StdioClientTransport {
  exit: ProcessExit | null = null;

  override async start(): Promise<void> {
    await super.start();
    // The SDK keeps its child private; should that change, the ending is just unknown again ("it exited").
    const child = (this as unknown as { _process?: ChildProcess })._process;
    child?.once('exit', (code, signal) => {
      this.exit = { code, signal };
    });
  }
}

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
  if (!exit || (exit.code === null && exit.signal === null)) return 'it exited';
  const signal = exit.signal ?? (exit.code !== null && exit.code > 128 ? signalName(exit.code - 128) : null);
  if (signal) {
    const words = SIGNAL_WORDS[signal] ?? 'it was stopped by a signal';
    return exit.signal ? `${words} (${signal})` : `${words} (${signal}: exit code ${exit.code})`;
  }
  return `it exited with code ${exit.code}`;
}
