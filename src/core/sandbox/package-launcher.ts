import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * How a server started by a package launcher (as pasted Claude Desktop configs start most: `npx -y <package>`,
 * `uvx <package>`) gets its package under the sandbox, where the home folder is read-only.
 */
export interface PackageLauncher {
  /** The server's own package cache, writable by it alone: a shared one would let one server plant code another runs. */
  cacheFolder: string;
  /** Variables for the server's run. */
  env: Record<string, string>;
  /**
   * npx only: the packages to fetch before the server starts, in a step of its own that may reach only the
   * registries and runs no package code, so the server itself can run with no network at all.
   */
  fetch?: {
    packages: string[];
    command: string;
    args: string[];
    registryHosts: string[];
    env: Record<string, string>;
    /** Credential files the fetch step (npm's own code only) may read though the server may not: the user's npmrc. */
    reads: string[];
  };
}

/** The user's npm settings the fetch step follows: their npmrc (registries, tokens) and the variables it names. */
export interface UserNpmConfig {
  file: string;
  text: string | null;
  env: NodeJS.ProcessEnv;
}

/** The npmrc npm reads by default (`~/.npmrc`, or `npm_config_userconfig`), and this process's variables it may name. */
export function readUserNpmConfig(): UserNpmConfig {
  const file = process.env['npm_config_userconfig'] ?? join(homedir(), '.npmrc');
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // none: npm's defaults
  }
  return { file, text, env: process.env };
}

const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org/';

export function packageLauncher(
  server: string,
  config: { command: string; args: string[]; env?: Record<string, string> },
  dataDir: string,
  /** Read only for an npx server. */
  readUser: () => UserNpmConfig = readUserNpmConfig,
): PackageLauncher | null {
  const cacheFolder = join(dataDir, 'cache', 'mcp-servers', server);
  switch (basename(config.command).replace(/\.(cmd|exe)$/i, '')) {
    case 'npx': {
      const npm = { npm_config_cache: join(cacheFolder, 'npm'), npm_config_update_notifier: 'false' };
      const packages = npxPackages(config.args);
      if (!packages) return { cacheFolder, env: npm };
      // A registry the server's own env names (not a secret reference) wins over the user's npmrc.
      const named = config.env?.['npm_config_registry'];
      const registry = named && !named.startsWith('secret:') ? named : undefined;
      const user = readUser();
      return {
        cacheFolder,
        // The fetch step filled the cache; the server's npx finds its package there and asks no registry.
        env: { ...npm, npm_config_offline: 'true' },
        fetch: {
          packages,
          command: config.command,
          // Runs the shell's `:` (a builtin) by an absolute shell once the packages are in: npx puts the install's
          // node_modules/.bin first on PATH, where the server, which writes its cache, could leave a `node` or `sh`
          // of its own for this step to run, with the npmrc's tokens and the registry's network it never has.
          args: ['--yes', ...packages.flatMap((spec) => ['--package', spec]), '--call', ':'],
          registryHosts: registryHosts(registry, user.text),
          env: {
            ...npmrcVariables(user),
            ...(user.text === null ? {} : { npm_config_userconfig: user.file }),
            ...npm,
            ...(registry ? { npm_config_registry: registry } : {}),
            // Cached packages are used as they are: the server keeps the version first fetched until its cache is cleared.
            npm_config_ignore_scripts: 'true',
            npm_config_script_shell: '/bin/sh',
            npm_config_prefer_offline: 'true',
            npm_config_audit: 'false',
            npm_config_fund: 'false',
          },
          reads: user.text === null ? [] : [user.file],
        },
      };
    }
    case 'uvx':
    case 'uv':
      return { cacheFolder, env: { UV_CACHE_DIR: join(cacheFolder, 'uv'), UV_TOOL_DIR: join(cacheFolder, 'uv-tools'), UV_PYTHON_INSTALL_DIR: join(cacheFolder, 'uv-python') } };
    default:
      return null;
  }
}

/** The hosts npm fetches from: the named registry, else the npmrc's (its default and each scope's), else npm's. */
function registryHosts(named: string | undefined, npmrc: string | null): string[] {
  const settings = (npmrc ?? '').split(/\r?\n/).flatMap((line) => {
    const match = /^\s*(@[^:\s]+:)?registry\s*=\s*(\S+)/.exec(line);
    return match ? [{ scoped: match[1] !== undefined, url: match[2]! }] : [];
  });
  const main = named ?? settings.find((s) => !s.scoped)?.url ?? DEFAULT_NPM_REGISTRY;
  const hosts = [main, ...settings.filter((s) => s.scoped).map((s) => s.url)].map(hostOf).filter((h): h is string => h !== null);
  return [...new Set(hosts.length > 0 ? hosts : [hostOf(DEFAULT_NPM_REGISTRY)!])];
}

/** The variables the npmrc names (`_authToken=${NPM_TOKEN}`), from this process's environment. */
function npmrcVariables(user: UserNpmConfig): Record<string, string> {
  const names = [...(user.text ?? '').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
  return Object.fromEntries(names.flatMap((name) => (user.env[name] ? [[name, user.env[name]]] : [])));
}

/**
 * The packages an npx command line runs: its `--package` options, else its first word (`npx -y pkg args`).
 * Null when it names none, or runs a shell line (`-c`), which only npx itself can read.
 */
export function npxPackages(args: readonly string[]): string[] | null {
  const packages: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-p' || arg === '--package') {
      const spec = args[++i];
      if (spec === undefined) return null;
      packages.push(spec);
    } else if (arg.startsWith('--package=')) {
      packages.push(arg.slice('--package='.length));
    } else if (arg === '-c' || arg === '--call' || arg.startsWith('--call=')) {
      return null;
    } else if (arg === '--') {
      const first = args[i + 1];
      return packages.length > 0 ? packages : first ? [first] : null;
    } else if (!arg.startsWith('-')) {
      return packages.length > 0 ? packages : [arg];
    }
  }
  return null;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}
