import { existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import type { SandboxGrants } from '../../shared/domain/tool-catalog';
import { AppError, messageOf } from '../../shared/errors';
import type { McpServerConfig, SandboxProfile, StdioServerConfig } from '../mcp/mcp-config';
import type { CommandWrapper, LaunchPlan, LaunchProgress } from '../mcp/launch-plan';
import type { Logger } from '../logging/logger';
import { environmentPaths } from '../mcp/environment-paths';
import { expandHome, withHomeExpanded } from '../mcp/home-path';
import { CERTIFICATE_VARIABLES, serverEnvironment } from '../mcp/server-environment';
import { isInside } from '../policy/matchers/resolve-path';
import { editBwrapLine } from './bwrap-args-file';
import { SandboxNotMade } from './sandbox-not-made';
import { withoutInheritedFds } from './inherited-fds';
import { insideOnlyAssignments, steersHost } from './inside-only-variables';
import { bindWritesBackOverReads, remountHiddenReadOnly } from './hidden-folder-mounts';
import { homeReads } from './home-reads';
import { finishPrivateHome, linksOut } from './read-only-home';
import { fetchPackages } from './package-fetch';
import { reapOrphanedBridges, removeStaleBridgeSockets } from './orphaned-bridges';
import { packageLauncher } from './package-launcher';
import { createProcessCountLimit, DEFAULT_MAX_PROCESSES, type ProcessCountLimit, userProcessCount } from './pids-cgroup';
import { credentialPaths, dataFolderDenies, sessionRuntimeDenies } from './read-denials';
import { agentSocketDenies, sshAgentSocket } from './agent-sockets';
import { addedBySandbox, newCommandId, refusalReader, shellQuote } from './sandbox-command';
import { sharedWorkspaceSecrets } from './workspace-secrets';
import { unusedWriteGrantsNote } from './unused-write-grants';

/** Defaults when a profile sets no limits: Node 24 alone reserves over 1 GB of address space; a runaway server hits these. */
const DEFAULT_MEMORY_MB = 4_096;
const DEFAULT_CPU_SECONDS = 600;

let initialized: Promise<string | null> | null = null;
/**
 * Whether sandboxed servers are refused local daemons' sockets (an SSH agent, Docker, D-Bus). On Linux that takes
 * the runtime's seccomp helper, which it reports missing as a warning (the sandbox still runs without it).
 */
let socketsRefused = false;
/** Runtimes using the shared sandbox runtime; the last one out stops its proxy so the process can exit. */
let users = 0;

/**
 * Starts the sandbox runtime once per process (its network proxy is shared): null when ready, or why this machine has
 * no OS sandbox (its servers then run unsandboxed, every tool asking). A sandbox that is here but failed to start (its
 * proxy's helper late on a loaded machine) throws instead: the server is refused and restarted, not run unsandboxed,
 * and the failure is forgotten, so that restart tries again.
 */
function initializeOnce(logger?: Pick<Logger, 'debug'>): Promise<string | null> {
  initialized ??= (async () => {
    if (!SandboxManager.isSupportedPlatform()) return `No OS sandbox is available on ${process.platform}.`;
    const check = SandboxManager.checkDependencies();
    if (check.errors.length > 0) return `The OS sandbox cannot run here: ${check.errors.join('; ')}.`;
    socketsRefused = !check.warnings.some((warning) => /seccomp/i.test(warning));
    // Its network bridge (socat) outlives a Portcullis that was killed: end those left by earlier runs before adding one.
    reapOrphanedBridges();
    // And the socket files of those ended by SIGKILL (no process left): tidying only, so the start does not wait on it.
    void removeStaleBridgeSockets().then(
      (removed) => removed.length > 0 && logger?.debug({ event: 'sandbox.stale_bridge_sockets', removed }, `removed ${removed.length} stale sandbox bridge sockets`),
      (error: unknown) => logger?.debug({ event: 'sandbox.stale_bridge_sockets', message: messageOf(error) }, 'stale sandbox bridge sockets were not removed'),
    );
    try {
      await SandboxManager.initialize({
        network: { allowedDomains: [], deniedDomains: [] },
        filesystem: { denyRead: [], allowWrite: [], denyWrite: [] },
      });
      return null;
    } catch (error) {
      initialized = null;
      await SandboxManager.reset().catch(() => undefined); // what it started before it failed
      throw new AppError('MCP_SERVER_UNAVAILABLE', `the OS sandbox failed to start (${messageOf(error)}), so it is not started rather than run without one; it is tried again.`);
    }
  })();
  return initialized;
}

/** What the row says of an SSH agent granted (`"sshAgent": true`) that the server cannot use here; null when it can. */
function agentNote(granted: boolean, socket: string | null): string | null {
  if (!granted) return null;
  if (!socket) return 'Its SSH agent grant gives it nothing: Portcullis runs with no SSH agent (SSH_AUTH_SOCK is not set).';
  return socketsRefused ? "Its SSH agent grant gives it nothing here: this sandbox refuses every Unix socket (sandbox-runtime's seccomp filter); a server that needs the agent runs with \"sandbox\": false." : null;
}

/** Docker, Podman or nerdctl when `command` is one of them: pasted configs often run servers as containers. */
function containerEngine(command: string): string | null {
  const names: Record<string, string> = { docker: 'Docker', podman: 'Podman', nerdctl: 'nerdctl' };
  return names[basename(command).replace(/\.exe$/i, '')] ?? null;
}

/**
 * A folder of `allowWrite` as the person wrote it: `~` is their home folder, as in a shell and in Claude Desktop's
 * configs (it was taken for a folder named "~" in the workspace); any other relative path is in the workspace.
 */
export function grantedFolder(path: string, workspace: string): string {
  const expanded = expandHome(path);
  return isAbsolute(expanded) ? expanded : resolve(workspace, expanded);
}

/** The PATH a server runs with and the files its environment names (extra CA certificates), which its runtime reads. */
function serverPathAndFiles(env: Record<string, string>): { pathVariable?: string; environmentFiles: string[] } {
  const all: Record<string, string | undefined> = { ...serverEnvironment(), ...env };
  const files = CERTIFICATE_VARIABLES.flatMap((name) => (all[name] && !all[name].startsWith('secret:') ? [resolve(expandHome(all[name]))] : []));
  return { ...(all.PATH ? { pathVariable: all.PATH } : {}), environmentFiles: files };
}

/** A home folder that can be hidden: an existing folder, not the filesystem's root (`HOME=/` for a service account). */
function hideableHome(home: string): boolean {
  try {
    return isAbsolute(home) && dirname(resolve(home)) !== resolve(home) && statSync(home).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Wraps each MCP stdio server in the OS sandbox (`@anthropic-ai/sandbox-runtime`: bubblewrap on Linux,
 * sandbox-exec on macOS) with the server's profile: the system read-only, credentials and Portcullis's data folder
 * unreadable, of the home folder only what home-reads.ts lets it read (unless it says `readHome`), writable only the
 * granted folders, network only to the granted domains (none by default), plus CPU
 * and memory rlimits.
 * Where no sandbox is available the server runs unsandboxed and says why, so its tools can be made to ask; where one
 * is but cannot be made for this server, the server is refused, saying why.
 */
export function createMcpSandbox(options: {
  workspace: string;
  dataDir: string;
  /**
   * Which files the policy in force calls secret files (its `deny.secrets`), asked at each server's start: those of
   * the workspace are hidden from the server unless its `allowRead` names them. Absent: none are hidden.
   */
  secretFiles?: () => (path: string) => boolean;
  /** Where the per-server process cap comes from (tests replace it to see the fallback). */
  processLimit?: (id: string, max: number) => ProcessCountLimit | null;
  /** Told at debug level what the start's tidying of earlier runs' leftovers did. */
  logger?: Pick<Logger, 'debug'>;
}): CommandWrapper & { dispose(): Promise<void> } {
  const processLimit = options.processLimit ?? createProcessCountLimit;
  const commandIds: string[] = [];
  users++;
  let disposed = false;
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));
  const workspace = resolve(options.workspace);
  const dataDir = resolve(options.dataDir);
  const workspaceInData = isInside(workspace, dataDir, false);
  const workspaceSecrets = sharedWorkspaceSecrets();
  const wrap = async (server: string, config: McpServerConfig & { command: string; args: string[] }, progress?: LaunchProgress): Promise<LaunchPlan> => {
    const unsandboxed = (note: string): LaunchPlan => ({ command: config.command, args: config.args, sandboxed: false, note });
    if (config.sandbox === false) return unsandboxed('The sandbox is turned off for this server in mcp.json.');
    // The engine's daemon starts the container outside any sandbox this process sets up (and the CLI needs the
    // daemon's socket): confinement is the container's, as its arguments set it, so the server counts as unsandboxed.
    const engine = containerEngine(config.command);
    if (engine) {
      return unsandboxed(`${engine} runs this server in a container: its isolation (network, mounts) is what its arguments in mcp.json give it, not Portcullis' sandbox, so every tool asks.`);
    }
    const problem = await initializeOnce(options.logger);
    if (problem) return unsandboxed(problem);
    const profile: SandboxProfile = config.sandbox;
    const writable = profile.allowWrite.map((p) => grantedFolder(p, options.workspace));
    // A grant into the data folder (outside the workspace) would let the server rewrite its own config and policy.
    // Refused loudly: under the sandbox its writes would otherwise land in a throwaway tmpfs and vanish.
    const intoData = writable.find((p) => isInside(p, dataDir, false) && !(workspaceInData && isInside(p, workspace, false)));
    if (intoData) {
      throw new AppError('MCP_SERVER_UNAVAILABLE', `mcp.json lets the ${server} server write ${intoData}, inside Portcullis's data folder, which no server may touch. Grant a folder in the workspace or elsewhere.`);
    }
    const readable = (profile.allowRead ?? []).map((p) => grantedFolder(p, options.workspace));
    const readsData = readable.find((p) => isInside(p, dataDir, false) && !(workspaceInData && isInside(p, workspace, false)));
    if (readsData) {
      throw new AppError('MCP_SERVER_UNAVAILABLE', `mcp.json lets the ${server} server read ${readsData}, inside Portcullis's data folder, which no server may read. Grant a folder in the workspace or elsewhere.`);
    }
    // The server's variables that would steer the host-side programs starting the sandbox are set inside it alone;
    // worked out before anything is made for it, so a refusal leaves nothing behind.
    const serverEnv = (config as StdioServerConfig).env ?? {};
    const ownEnv = withHomeExpanded(serverEnv);
    // Linux and macOS alike: sandbox-runtime starts both through `/bin/bash -c` on the host (macOS then `env` found by PATH).
    const insideOnly = process.platform !== 'win32' ? insideOnlyAssignments(server, ownEnv) : [];
    const setInside = insideOnly.length > 0 ? ['/usr/bin/env', ...insideOnly] : [];
    const granted = [...writable];
    const launcher = packageLauncher(server, config, dataDir);
    if (launcher) {
      mkdirSync(launcher.cacheFolder, { recursive: true });
      writable.push(launcher.cacheFolder);
    }
    // The person may give a server their SSH agent (git over SSH); every other local agent and daemon stays out of reach.
    const sshAgent = profile.sshAgent ? sshAgentSocket() : null;
    const denied = [
      ...credentialPaths(),
      ...sessionRuntimeDenies(workspace),
      ...dataFolderDenies(dataDir, workspace),
      ...agentSocketDenies({ keepSshAgent: sshAgent !== null, workspace }),
    ];
    // The workspace is readable to every server, its `.env` and keys not: a server reads them on its own, past the
    // policy that keeps the model from asking for them. Its allowRead naming one gives that one back.
    // Awaited: the server never starts before its hide list is known; the look itself lets other work run meanwhile.
    const secrets = options.secretFiles ? await workspaceSecrets(workspace, options.secretFiles()) : { paths: [], complete: true };
    const regranted = new Set(readable.map((p) => resolve(p)));
    const hiddenSecrets = secrets.paths.filter((p) => !regranted.has(p));
    const reads = homeReads({
      home: homedir(),
      workspace,
      readHome: profile.readHome ?? false,
      allowRead: readable,
      writable: granted,
      packageCache: launcher?.cacheFolder ?? null,
      command: config.command,
      args: config.args,
      ...(typeof config.cwd === 'string' ? { cwd: config.cwd } : {}),
      ...serverPathAndFiles(serverEnv),
      environmentPaths: environmentPaths(serverEnv).map((named) => named.path),
      denied,
    });
    // A private home folder is hidden whole (bubblewrap: an empty tmpfs; macOS: a deny rule) and what the server may
    // read of it is re-allowed over it. The credentials inside a re-allowed place are listed deeper, so they are
    // mounted (Linux) or ruled (macOS) after it and stay unreadable.
    const privateHome = reads.home === 'private' && hideableHome(homedir()) ? homedir() : null;
    const denyRead = [...(privateHome ? [privateHome] : []), ...denied, ...hiddenSecrets];
    // The data folder is hidden whole; a workspace inside it (the default layout) is given back the same way.
    const inData = workspaceInData ? [workspace] : [];
    // A granted agent inside a hidden folder (the session's runtime folder, the home folder) is given back there.
    const agentBack = sshAgent && denyRead.some((p) => isInside(sshAgent, p, false)) ? [sshAgent] : [];
    const allowRead = privateHome ? [...new Set([...reads.grants.map((g) => g.path), ...inData, ...agentBack])] : [...inData, ...agentBack];
    const fetch = launcher?.fetch;
    if (fetch) {
      // npm reads the user's npmrc (its registries and tokens) in this step only, and node from where it is installed.
      const fetchReads = { denyRead: denyRead.filter((p) => !fetch.reads.includes(p)), allowRead: privateHome ? [...allowRead, ...fetch.reads] : [] };
      progress?.fetching?.(fetch.packages);
      await fetchPackages(server, fetch, launcher.cacheFolder, fetchReads);
    }
    const commandId = newCommandId();
    SandboxManager.registerCommandNetworkLists(commandId, { allowedDomains: profile.allowedDomains });
    commandIds.push(commandId);
    const maxProcesses = profile.maxProcesses ?? DEFAULT_MAX_PROCESSES;
    const cgroup = processLimit(`${server}-${commandId.slice(0, 8)}`, maxProcesses);
    // Without a cgroup, RLIMIT_NPROC is the fallback; it counts all of this user's processes (so the cap is
    // added to what runs now) and does not bind root at all.
    const uid = process.getuid?.() ?? -1;
    const nproc = !cgroup && prlimit && uid > 0 ? [`--nproc=${userProcessCount(uid) + maxProcesses}`] : [];
    // The CPU limit's soft value ends the server with SIGXCPU, which says which limit it hit (with soft = hard the
    // kernel sends a bare SIGKILL); a server that catches SIGXCPU gets the SIGKILL a second later.
    const cpuSeconds = profile.cpuSeconds ?? DEFAULT_CPU_SECONDS;
    const memoryMb = profile.memoryMb ?? DEFAULT_MEMORY_MB;
    const limits = prlimit
      ? [prlimit, `--as=${memoryMb * 1024 * 1024}`, `--cpu=${cpuSeconds}:${cpuSeconds + 1}`, '--core=0', ...nproc, '--']
      : [];
    const processNote = cgroup
      ? undefined
      : nproc.length > 0
        ? `Process limit approximate: no pids cgroup is writable here, so the cap of ${maxProcesses} processes is a per-user limit (RLIMIT_NPROC) shared with this user's other processes.`
        : `Process limit unavailable: no pids cgroup is writable here${uid === 0 ? ' and RLIMIT_NPROC does not bind root' : ''}, so a fork bomb in this server is not contained.`;
    const command = [...setInside, ...limits, config.command, ...config.args].map(shellQuote).join(' ');
    const grants: SandboxGrants = {
      home: reads.home,
      readable: reads.grants,
      workspaceSecrets: { hidden: hiddenSecrets, allowed: secrets.paths.filter((p) => regranted.has(p)), complete: secrets.complete },
      writable: granted,
      packageCache: launcher?.cacheFolder ?? null,
      domains: [...profile.allowedDomains],
      offline: profile.allowedDomains.length === 0 && socketsRefused,
      // Said where it can use it; where it cannot, its note says why.
      ...(sshAgent && !socketsRefused ? { sshAgent: true } : {}),
      memoryMb: prlimit ? memoryMb : null,
      cpuSeconds: prlimit ? cpuSeconds : null,
      maxProcesses: cgroup || nproc.length > 0 ? maxProcesses : null,
    };
    try {
      const { argv, env } = await SandboxManager.wrapWithSandboxArgv(
        command,
        undefined,
        { filesystem: { denyRead, allowRead, allowWrite: writable, denyWrite: [] } },
        undefined,
        typeof config.cwd === 'string' ? config.cwd : undefined,
        { commandId, commandText: `${server}: ${config.command}` },
      );
      // Node's own fetch ignores HTTP(S)_PROXY unless told (Node 22.21+, 24.5+): without this a Node server's request
      // never reaches the sandbox's proxy, so a granted domain is unreachable and a refused one is not offered.
      const nodeProxy: Record<string, string> = serverEnv.NODE_USE_ENV_PROXY === undefined ? { NODE_USE_ENV_PROXY: '1' } : {};
      const agentVariable: Record<string, string> = sshAgent && process.env['SSH_AUTH_SOCK'] ? { SSH_AUTH_SOCK: process.env['SSH_AUTH_SOCK'] } : {};
      const added = { ...nodeProxy, ...launcher?.env, ...agentVariable, ...addedBySandbox(env) };
      const [program, ...rest] = process.platform === 'linux' ? finishHiddenFolders(argv, privateHome, allowRead, denied) : argv;
      if (!program) throw new Error('it returned no command to run');
      // The whole sandbox (bubblewrap and all it starts) joins the cgroup before it runs, holding no fd but stdio.
      const launch = withoutInheritedFds(cgroup ? cgroup.wrap(program, rest) : { command: program, args: rest });
      const refusals = refusalReader(commandId);
      const note = [processNote, agentNote(profile.sshAgent, sshAgent), unusedWriteGrantsNote(granted)].filter(Boolean).join(' ');
      // Ended: sandbox-runtime counts its sandboxes and, when none is left, closes the files it passed mounts
      // through and removes its mount points; uncounted, a restarting server kept one more file open each time.
      const release = async () => {
        await cgroup?.release();
        SandboxManager.cleanupAfterCommand();
      };
      const keptFromHost = Object.keys(ownEnv).filter((name) => process.platform !== 'win32' && steersHost(name));
      return { ...launch, env: added, sandboxed: true, refusals, grants, release, ...(note ? { note } : {}), ...(keptFromHost.length > 0 ? { keptFromHost } : {}) };
    } catch (error) {
      await cgroup?.release();
      SandboxManager.unregisterCommandNetworkLists(commandId);
      // Its hidden folders could not be finished (bwrap-args-file.ts): refused, not run with them writable.
      if (error instanceof AppError) throw error;
      // The sandbox runs here but not for this server (a profile past bubblewrap's limits, arguments too long for
      // its line): refused, where it ran on the host with the home folder and the data folder open to it.
      throw new SandboxNotMade(server, messageOf(error));
    }
  };
  /**
   * bubblewrap's line with what sandbox-runtime leaves undone over the folders it hides: the write grants inside a
   * re-allowed place writable, the private home and data folder read-only, the home's links out made; also when its
   * mounts went to a file.
   */
  const finishHiddenFolders = (argv: readonly string[], privateHome: string | null, allowRead: string[], denied: string[]): string[] =>
    editBwrapLine(argv, (line) => {
      const rebound = bindWritesBackOverReads(line, allowRead);
      const home = privateHome ? finishPrivateHome(rebound, privateHome, linksOut(allowRead, privateHome, denied)) : rebound;
      return remountHiddenReadOnly(home, dataDir);
    });
  return Object.assign(wrap, {
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      for (const id of commandIds.splice(0)) SandboxManager.unregisterCommandNetworkLists(id);
      if (--users === 0 && initialized) {
        const wasReady = (await initialized.catch(() => 'failed')) === null;
        initialized = null;
        if (wasReady) await SandboxManager.reset();
      }
    },
  });
}
