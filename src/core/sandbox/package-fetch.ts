import { spawn } from 'node:child_process';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import { AppError } from '../../shared/errors';
import { serverEnvironment } from '../mcp/server-environment';
import type { PackageLauncher } from './package-launcher';
import { withoutInheritedFds } from './inherited-fds';
import { addedBySandbox, newCommandId, refusalsOf, shellQuote } from './sandbox-command';
import { OutputTail } from './worker-launcher';

/**
 * Where npm runs for the fetch: a folder no server writes. npm reads the `.npmrc` of the folder it runs in as the
 * project's, which outranks the user's (a `git`, `node-options` or `registry` of its own); in Portcullis' own folder
 * (a `portcullis serve` started in the workspace) a server that may write the workspace could leave one there.
 */
const FETCH_FOLDER = '/';

/** A first fetch of a server with many dependencies takes a while on a slow line; a cached one, a second or two. */
const FETCH_TIMEOUT_MS = 300_000;

/**
 * An npx server's fetch step, in a sandbox of its own: it may reach only the registries, write only the server's
 * cache, read the user's npmrc (its tokens are for npm, which alone runs here), and runs npm with install scripts
 * off, so no package code runs while the network is open.
 */
export async function fetchPackages(server: string, fetch: NonNullable<PackageLauncher['fetch']>, cacheFolder: string, reads: { denyRead: string[]; allowRead: string[] }): Promise<void> {
  const commandId = newCommandId();
  SandboxManager.registerCommandNetworkLists(commandId, { allowedDomains: fetch.registryHosts });
  try {
    const { argv, env } = await SandboxManager.wrapWithSandboxArgv(
      [fetch.command, ...fetch.args].map(shellQuote).join(' '),
      undefined,
      { filesystem: { denyRead: reads.denyRead, allowRead: reads.allowRead, allowWrite: [cacheFolder], denyWrite: [] } },
      undefined,
      FETCH_FOLDER,
      { commandId, commandText: `${server}: fetch its package` },
    );
    const [program, ...rest] = argv;
    if (!program) throw new AppError('MCP_SERVER_UNAVAILABLE', 'The OS sandbox returned no command to run.');
    const launch = withoutInheritedFds({ command: program, args: rest });
    const ended = await runToEnd(launch.command, launch.args, { ...serverEnvironment(), ...fetch.env, ...addedBySandbox(env) }, FETCH_TIMEOUT_MS).finally(() => SandboxManager.cleanupAfterCommand());
    if (ended.code !== 0) {
      const said = npmComplaint(ended.stderr);
      const refused = refusalsOf(commandId);
      throw new AppError(
        'MCP_SERVER_UNAVAILABLE',
        `Fetching the ${server} server's package (${fetch.packages.join(', ')}) from ${fetch.registryHosts.join(', ')} ` +
          `${ended.code === null ? `took over ${FETCH_TIMEOUT_MS / 1000} s` : 'failed'}: ${said || 'npm said nothing'}` +
          (refused.length > 0 ? `; its sandbox refused: ${refused.slice(-3).join('; ')}` : ''),
      );
    }
  } finally {
    SandboxManager.unregisterCommandNetworkLists(commandId);
  }
}

/** The lines of npm's error output that say what went wrong, without its codes alone, advice and log location. */
function npmComplaint(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.replace(/^npm (error|ERR!) ?/, '').trim());
  const telling = lines.filter((line) => line && !/^npm warn/i.test(line) && !/^\d{3}$/.test(line) && !/^(A complete log|Note that|tarball, folder)/.test(line));
  return [...new Set(telling)].slice(0, 3).join('; ');
}

/** Runs a command to its end (or kills it after `timeoutMs`: code null) and keeps the tail of its stderr. */
function runToEnd(command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const stderr = new OutputTail();
    const child = spawn(command, args, { env, cwd: FETCH_FOLDER, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const end = (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.toString() });
    };
    child.once('error', (error) => {
      stderr.append(error.message);
      end(-1);
    });
    child.once('close', (code) => end(code));
  });
}
