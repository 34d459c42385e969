import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import { AppError } from '../../shared/errors';
import { exportsFolder } from '../config/data-paths';
import type { McpServerConfig, SandboxProfile } from '../mcp/mcp-config';
import type { CommandWrapper, LaunchPlan } from '../mcp/mcp-connection';
import { createProcessCountLimit, DEFAULT_MAX_PROCESSES, type ProcessCountLimit, userProcessCount } from './pids-cgroup';
import { isWithin } from './workspace-scope';

/** Defaults when a profile sets no limits: Node 24 alone reserves over 1 GB of address space; a runaway server hits these. */
const DEFAULT_MEMORY_MB = 4_096;
const DEFAULT_CPU_SECONDS = 600;

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

/**
 * Package launchers from pasted Claude Desktop configs fetch the server into a cache when they start, and the home
 * folder is read-only in the sandbox. Each such server gets a cache of its own, writable by it alone (a shared
 * cache would let one server plant code that another runs); the registry's domain must still be granted.
 */
function launcherCache(command: string, dataDir: string, server: string): { folder: string; env: Record<string, string> } | null {
  const folder = join(dataDir, 'cache', 'mcp-servers', server);
  switch (basename(command).replace(/\.(cmd|exe)$/i, '')) {
    case 'npx':
    case 'npm':
      return { folder, env: { npm_config_cache: join(folder, 'npm'), npm_config_update_notifier: 'false' } };
    case 'uvx':
    case 'uv':
      return { folder, env: { UV_CACHE_DIR: join(folder, 'uv'), UV_TOOL_DIR: join(folder, 'uv-tools'), UV_PYTHON_INSTALL_DIR: join(folder, 'uv-python') } };
    default:
      return null;
  }
}

const shellQuote = (word: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

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
    const cache = launcherCache(config.command, dataDir, server);
    if (cache) {
      mkdirSync(cache.folder, { recursive: true });
      writable.push(cache.folder);
    }
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
        { filesystem: { denyRead: [...credentialPaths(), ...dataFolderDenies(dataDir, workspace)], allowWrite: writable, denyWrite: [] } },
        undefined,
        typeof config.cwd === 'string' ? config.cwd : undefined,
        { commandId, commandText: `${server}: ${config.command}` },
      );
      const added: Record<string, string> = { ...cache?.env };
      for (const [key, value] of Object.entries(env)) if (typeof value === 'string' && process.env[key] !== value) added[key] = value;
      const [program, ...rest] = argv;
      if (!program) {
        await cgroup?.release();
        return unsandboxed('The OS sandbox returned no command to run.');
      }
      // The whole sandbox (bubblewrap and all it starts) joins the cgroup before it runs.
      const launch = cgroup ? cgroup.wrap(program, rest) : { command: program, args: rest };
      // Network refusals are the proxy's, kept under this launch's id (file refusals show as EACCES/EROFS in stderr).
      const refusals = () => SandboxManager.getSandboxViolationStore().getViolationsForCommand(commandId).map((v) => v.line);
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
