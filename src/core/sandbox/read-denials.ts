import { readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { defaultDataDir } from '../config/data-paths';
import { otherAppConfigs } from '../mcp/import/other-app-configs';
import { isInside } from '../policy/matchers/resolve-path';
import { homeSecrets } from './home-secrets';

/**
 * Credentials, token stores, histories, browser and chat profiles and system secrets no MCP server may read, whatever
 * its profile grants (home-secrets.ts lists the home folder's, by kind).
 */
export function credentialPaths(): string[] {
  const home = homedir();
  return [
    ...homeSecrets(home),
    '/etc/shadow', '/etc/gshadow', '/etc/sudoers', '/etc/ssl/private',
    ...(process.env['npm_config_userconfig'] ? [process.env['npm_config_userconfig']] : []),
    // Other MCP hosts' server lists (Claude Desktop's, Cursor's…) hold their servers' tokens written out, as pasted.
    ...otherAppConfigs({ home, platform: process.platform, ...(process.env['APPDATA'] ? { appData: process.env['APPDATA'] } : {}) }).map((app) => app.file),
  ];
}

/**
 * The login session's runtime folder on Linux (`$XDG_RUNTIME_DIR`, `/run/user/<uid>`): D-Bus's socket, through which
 * an unlocked keyring hands out every secret, the SSH and GPG agents', systemd's user manager, podman's registry
 * logins, and gvfs's mounts of network shares and online accounts. (Sockets are refused anyway where sandbox-runtime's
 * seccomp filter runs; files and mounts are not.) Hidden whole; when it holds the workspace (a share gvfs mounted) or
 * the temp folder, where the sandbox keeps its proxy's sockets, each of its entries is hidden but those on the way
 * to them, as they are at the server's start (agent-sockets.ts names the usual ones, made later too).
 */
export function sessionRuntimeDenies(workspace: string, list: (folder: string) => string[] = (folder) => readdirSync(folder)): string[] {
  if (process.platform !== 'linux') return [];
  const folder = process.env['XDG_RUNTIME_DIR'] || `/run/user/${process.getuid?.() ?? ''}`;
  if (!isAbsolute(folder)) return [];
  const kept = [tmpdir(), workspace].map((path) => resolve(path)).filter((path) => isInside(path, folder, false));
  if (kept.length === 0) return [folder];
  // The temp folder or the workspace is the runtime folder itself (XDG_RUNTIME_DIR=/tmp): nothing of it can be hidden.
  if (kept.includes(resolve(folder))) return [];
  return entriesBeside(resolve(folder), kept, list);
}

/** Every entry of `folder` but those holding one of `kept`, and, inside those, theirs, down to each of `kept`. */
function entriesBeside(folder: string, kept: string[], list: (folder: string) => string[]): string[] {
  let names: string[];
  try {
    names = list(folder);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const entry = join(folder, name);
    const inside = kept.filter((path) => isInside(path, entry, false));
    if (inside.length === 0) return [entry];
    return inside.includes(entry) ? [] : entriesBeside(entry, inside, list);
  });
}

/** What a server may not read of Portcullis's data folders: this one's, and the usual ones when it is another. */
export function dataFolderDenies(dataDir: string, workspace: string): string[] {
  return [...ownDataFolderDenies(dataDir), ...usualDataFolderDenies(dataDir, workspace)];
}

/**
 * What a server may not read of Portcullis's data folder (its databases, traces, exports, logs, policy and server
 * config): all of it, as one folder. When the workspace lives inside it (the default layout) the sandbox gives the
 * workspace back (mcp-sandbox.ts). Hiding its entries one by one did not hold: a file made later was not hidden, nor
 * one saved by rename (mcp.json, policy.yaml), the hiding mount staying on the old file.
 */
function ownDataFolderDenies(dataDir: string): string[] {
  return [dataDir];
}

/**
 * The usual data folders when this Portcullis keeps its data elsewhere (`--data-dir`): their conversations and audit
 * logs are no more a server's to read than this one's. Each is left alone when it is this one or holds the workspace.
 */
function usualDataFolderDenies(dataDir: string, workspace: string): string[] {
  return usualDataFolders().filter((usual) => usual !== dataDir && !isInside(workspace, usual, false));
}

/**
 * Where a Portcullis keeps its data when not told: the CLI's and headless host's default, and on Linux also the
 * desktop app's (Electron's `userData`, `~/.config/Portcullis`, or `portcullis` when run from source), which differs.
 */
function usualDataFolders(): string[] {
  if (process.platform !== 'linux') return [defaultDataDir()];
  const config = process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return [defaultDataDir(), join(config, 'Portcullis'), join(config, 'portcullis')];
}
