import { type ChildProcess, spawn } from 'node:child_process';
import { cliBin } from './paths';

/** A real `portcullis serve` process. */
export interface Host {
  process: ChildProcess;
  port: number;
  token: string;
  dataDir: string;
  /** Everything the host wrote after its start-up banner (which carries the session token by design). */
  log: () => string;
}

/** How long a host may take to start: over 13 s measured at load 27 on 2 cores (loading its modules). */
export const HOST_START_LIMIT_MS = 30_000;

/**
 * Starts `portcullis serve` on a free port and waits for its banner; fails with its output if it exits first or
 * has not started within HOST_START_LIMIT_MS. `env` is added to its environment.
 */
export async function startHost(dataDir: string, extraArgs: readonly string[] = [], env: Readonly<Record<string, string>> = {}): Promise<Host> {
  const child = spawn(process.execPath, [cliBin, 'serve', '--data-dir', dataDir, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  let bannerEnd = -1;
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const started = Date.now();
  const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Open: http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)[\s\S]*Press Ctrl\+C to stop\.\n/.exec(output);
      if (match) {
        clearInterval(timer);
        bannerEnd = match.index + match[0].length;
        resolve({ port: Number(match[1]), token: match[2]! });
      } else if (child.exitCode !== null || Date.now() - started > HOST_START_LIMIT_MS) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`portcullis serve ${child.exitCode !== null ? `exited with ${child.exitCode}` : 'did not start'}:\n${output}`));
      }
    }, 20);
  });
  return { process: child, port, token, dataDir, log: () => output.slice(bannerEnd) };
}

/** Stops the host as a person would (SIGTERM), or at once as a crash would (SIGKILL), and waits for it to exit. */
export async function stopHost(host: Host | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const child = host?.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill(signal);
  });
}

/** One request of the local API with the host's session token; the output, or the error it answered with. */
export async function callHost<T = unknown>(host: Host, channel: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${host.port}/api/${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const reply = (await response.json()) as { ok: boolean; output?: T; error?: { code: string; message: string } };
  if (!reply.ok) throw new Error(`${channel}: ${reply.error?.code} ${reply.error?.message}`);
  return reply.output as T;
}
