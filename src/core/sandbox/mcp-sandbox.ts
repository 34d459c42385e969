import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import { AppError } from '../../shared/errors';
import { exportsFolder } from '../config/data-paths';
import type { McpServerConfig, SandboxProfile } from '../mcp/mcp-config';
import type { CommandWrapper, LaunchPlan } from '../mcp/mcp-connection';
import { serverEnvironment } from '../mcp/server-environment';
import { packageLauncher, type PackageLauncher } from './package-launcher';
import { createProcessCountLimit, DEFAULT_MAX_PROCESSES, type ProcessCountLimit, userProcessCount } from './pids-cgroup';
import { OutputTail } from './worker-launcher';
import { isWithin } from './workspace-scope';

/** Defaults when a profile sets no limits: Node 24 alone reserves over 1 GB of address space; a runaway server hits these. */
const DEFAULT_MEMORY_MB = 4_096;
const DEFAULT_CPU_SECONDS = 600;
/** A first fetch of a server with many dependencies takes a while on a slow line; a cached one, a second or two. */
const FETCH_TIMEOUT_MS = 300_000;

/** Credentials, token stores and system secrets no MCP server may read, whatever its profile grants. */
function credentialPaths(): string[] {
  const home = homedir();
  return [
    ...['.ssh', '.aws', '.azure', '.gnupg', '.docker', '.kube', '.netrc', '.git-credentials', '.npmrc', '.pypirc', '.vault-token', '.password-store']
      .map((name) => join(home, name)),
    join(home, '.config', 'gcloud'), join(home, '.config', 'gh'), join(home, '.local', 'share', 'keyrings'),
    '/etc/shadow', '/etc/gshadow', '/etc/sudoers',
  ];
}

/**
 * What a server may not read of Portcullis's data folder (its databases, traces, exports, logs, policy and server
 * config): all of it, or, when the workspace lives inside it (the default layout), everything around the workspace,
 * listed when the server starts. (A tmpfs over the whole folder with the workspace bound back would also hide files
 * made later, but sandbox-runtime binds that workspace read-only over the write grants inside it.) The exports
 * folder is made first, so an export written while the server runs lands in a hidden folder.
 */
function dataFolderDenies(dataDir: string, workspace: string): string[] {
  if (!isWithin(dataDir, workspace)) return [dataDir];
  mkdirSync(exportsFolder(dataDir), { recursive: true });
  const denies: string[] = [];
  for (let dir = dataDir; dir !== workspace; ) {
    const next = join(dir, relative(dir, workspace).split(sep)[0]!);
    for (const entry of readdirSync(dir)) if (join(dir, entry) !== next) denies.push(join(dir, entry));
    dir = next;
  }
  return denies;
}

const shellQuote = (word: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/** The variables the sandbox sets for a command (its proxy), of the full environment it returns. */
function addedBySandbox(env: NodeJS.ProcessEnv): Record<string, string> {
  const added: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string' && process.env[key] !== value) added[key] = value;
  return added;
}

/** Network refusals are the proxy's, kept under the launch's id (file refusals show as EACCES/EROFS in stderr). */
function refusalsOf(commandId: string): string[] {
  return [...new Set(SandboxManager.getSandboxViolationStore().getViolationsForCommand(commandId).map((v) => v.line))];
}

/**
 * An npx server's fetch step, in a sandbox of its own: it may reach only the registry, write only the server's
 * cache, and runs npm with install scripts off, so no package code runs while the network is open.
 */
async function fetchPackages(server: string, fetch: NonNullable<PackageLauncher['fetch']>, cacheFolder: string, denyRead: string[]): Promise<void> {
  const commandId = randomBytes(16).toString('base64url');
  SandboxManager.registerCommandNetworkLists(commandId, { allowedDomains: [fetch.registryHost] });
  try {
    const { argv, env } = await SandboxManager.wrapWithSandboxArgv(
      [fetch.command, ...fetch.args].map(shellQuote).join(' '),
      undefined,
      { filesystem: { denyRead, allowWrite: [cacheFolder], denyWrite: [] } },
      undefined,
      undefined,
      { commandId, commandText: `${server}: fetch its package` },
    );
    const [program, ...rest] = argv;
    if (!program) throw new AppError('MCP_SERVER_UNAVAILABLE', 'The OS sandbox returned no command to run.');
    const ended = await runToEnd(program, rest, { ...serverEnvironment(), ...fetch.env, ...addedBySandbox(env) }, FETCH_TIMEOUT_MS);
    if (ended.code !== 0) {
      const said = npmComplaint(ended.stderr);
      const refused = refusalsOf(commandId);
      throw new AppError(
        'MCP_SERVER_UNAVAILABLE',
        `Fetching the ${server} server's package (${fetch.args.filter((a, i) => fetch.args[i - 1] === '--package').join(', ')}) from ${fetch.registryHost} ` +
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
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const end = (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.toString() });
    };
    child.once('error', (error) => (stderr.append(error.message), end(-1)));
    child.once('close', (code) => end(code));
  });
}

let initialized: Promise<string | null> | null = null;
/** Runtimes using the shared sandbox runtime; the last one out stops its proxy so the process can exit. */
let users = 0;

/** Starts the sandbox runtime once per process (its network proxy is shared); null when ready, else why not. */
function initializeOnce(): Promise<string | null> {
  initialized ??= (async () => {
    if (!SandboxManager.isSupportedPlatform()) return `No OS sandbox is available on ${process.platform}.`;
    const check = SandboxManager.checkDependencies();
    if (check.errors.length > 0) return `The OS sandbox cannot run here: ${check.errors.join('; ')}.`;
    try {
      await SandboxManager.initialize({
        network: { allowedDomains: [], deniedDomains: [] },
        filesystem: { denyRead: [], allowWrite: [], denyWrite: [] },
      });
      return null;
    } catch (error) {
      return `The OS sandbox failed to start: ${error instanceof Error ? error.message : String(error)}.`;
    }
  })();
  return initialized;
}

/**
 * Wraps each MCP stdio server in the OS sandbox (`@anthropic-ai/sandbox-runtime`: bubblewrap on Linux,
 * sandbox-exec on macOS) with the server's profile: the system read-only, credentials and Portcullis's data folder
 * unreadable, writable only the granted folders, network only to the granted domains (none by default), plus CPU
 * and memory rlimits.
 * Where no sandbox is available the server runs unsandboxed and says why, so its tools can be made to ask.
 */
export function createMcpSandbox(options: {
  workspace: string;
  dataDir: string;
  /** Where the per-server process cap comes from (tests replace it to see the fallback). */
  processLimit?: (id: string, max: number) => ProcessCountLimit | null;
}): CommandWrapper & { dispose(): Promise<void> } {
  const processLimit = options.processLimit ?? createProcessCountLimit;
  const commandIds: string[] = [];
  users++;
  let disposed = false;
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));
  const workspace = resolve(options.workspace);
  const dataDir = resolve(options.dataDir);
  const wrap = async (server: string, config: McpServerConfig & { command: string; args: string[] }): Promise<LaunchPlan> => {
    const unsandboxed = (note: string): LaunchPlan => ({ command: config.command, args: config.args, sandboxed: false, note });
    if (config.sandbox === false) return unsandboxed('The sandbox is turned off for this server in mcp.json.');
    const problem = await initializeOnce();
    if (problem) return unsandboxed(problem);
    const profile: SandboxProfile = config.sandbox;
    const writable = profile.allowWrite.map((p) => (isAbsolute(p) ? p : resolve(options.workspace, p)));
    // A grant into the data folder (outside the workspace) would let the server rewrite its own config and policy.
    // Refused loudly: under the sandbox its writes would otherwise land in a throwaway tmpfs and vanish.
    const intoData = writable.find((p) => isWithin(dataDir, p) && !(isWithin(dataDir, workspace) && isWithin(workspace, p)));
    if (intoData) {
      throw new AppError('MCP_SERVER_UNAVAILABLE', `mcp.json lets the ${server} server write ${intoData}, inside Portcullis's data folder, which no server may touch. Grant a folder in the workspace or elsewhere.`);
    }
    const launcher = packageLauncher(server, config, dataDir);
    if (launcher) {
      mkdirSync(launcher.cacheFolder, { recursive: true });
      writable.push(launcher.cacheFolder);
    }
    const denyRead = [...credentialPaths(), ...dataFolderDenies(dataDir, workspace)];
    if (launcher?.fetch) await fetchPackages(server, launcher.fetch, launcher.cacheFolder, denyRead);
    const commandId = randomBytes(16).toString('base64url');
    SandboxManager.registerCommandNetworkLists(commandId, { allowedDomains: profile.allowedDomains });
    commandIds.push(commandId);
    const maxProcesses = profile.maxProcesses ?? DEFAULT_MAX_PROCESSES;
    const cgroup = processLimit(`${server}-${commandId.slice(0, 8)}`, maxProcesses);
    // Without a cgroup, RLIMIT_NPROC is the fallback; it counts all of this user's processes (so the cap is
    // added to what runs now) and does not bind root at all.
    const uid = process.getuid?.() ?? -1;
    const nproc = !cgroup && prlimit && uid > 0 ? [`--nproc=${userProcessCount(uid) + maxProcesses}`] : [];
    const limits = prlimit
      ? [prlimit, `--as=${(profile.memoryMb ?? DEFAULT_MEMORY_MB) * 1024 * 1024}`, `--cpu=${profile.cpuSeconds ?? DEFAULT_CPU_SECONDS}`, '--core=0', ...nproc, '--']
      : [];
    const processNote = cgroup
      ? undefined
      : nproc.length > 0
        ? `Process limit approximate: no pids cgroup is writable here, so the cap of ${maxProcesses} processes is a per-user limit (RLIMIT_NPROC) shared with this user's other processes.`
        : `Process limit unavailable: no pids cgroup is writable here${uid === 0 ? ' and RLIMIT_NPROC does not bind root' : ''}, so a fork bomb in this server is not contained.`;
    const command = [...limits, config.command, ...config.args].map(shellQuote).join(' ');
    try {
      const { argv, env } = await SandboxManager.wrapWithSandboxArgv(
        command,
        undefined,
        { filesystem: { denyRead, allowWrite: writable, denyWrite: [] } },
        undefined,
        typeof config.cwd === 'string' ? config.cwd : undefined,
        { commandId, commandText: `${server}: ${config.command}` },
      );
      const added = { ...launcher?.env, ...addedBySandbox(env) };
      const [program, ...rest] = argv;
      if (!program) {
        await cgroup?.release();
        return unsandboxed('The OS sandbox returned no command to run.');
      }
      // The whole sandbox (bubblewrap and all it starts) joins the cgroup before it runs.
      const launch = cgroup ? cgroup.wrap(program, rest) : { command: program, args: rest };
      const refusals = () => refusalsOf(commandId);
      return { ...launch, env: added, sandboxed: true, refusals, ...(processNote ? { note: processNote } : {}), ...(cgroup ? { release: cgroup.release } : {}) };
    } catch (error) {
      await cgroup?.release();
      SandboxManager.unregisterCommandNetworkLists(commandId);
      return unsandboxed(`The OS sandbox could not wrap this server: ${error instanceof Error ? error.message : String(error)}.`);
    }
  };
  return Object.assign(wrap, {
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      for (const id of commandIds.splice(0)) SandboxManager.unregisterCommandNetworkLists(id);
      if (--users === 0 && initialized) {
        const wasReady = (await initialized) === null;
        initialized = null;
        if (wasReady) await SandboxManager.reset();
      }
    },
  });
}
