import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { OtherAppId } from '../../../shared/domain/mcp-import';
import { secretNamesIn } from '../secret-references';
import { unreadableWhere } from '../../config/unreadable-config';

export interface OtherAppConfig {
  id: OtherAppId;
  app: string;
  file: string;
}

export interface Where {
  home: string;
  platform: NodeJS.Platform;
  /** Windows' roaming app-data folder (`%APPDATA%`). */
  appData?: string;
}

/** The per-user folder desktop apps keep their settings in, as each platform names it. */
function appSupport({ home, platform, appData }: Where): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  if (platform === 'win32') return appData ?? join(home, 'AppData', 'Roaming');
  return join(home, '.config');
}

/** Where other MCP hosts keep the servers a person already set up (user-wide files only, not per-project ones). */
export function otherAppConfigs(where: Where): OtherAppConfig[] {
  const { home } = where;
  return [
    { id: 'claude-desktop', app: 'Claude Desktop', file: join(appSupport(where), 'Claude', 'claude_desktop_config.json') },
    { id: 'claude-code', app: 'Claude Code', file: join(home, '.claude.json') },
    { id: 'cursor', app: 'Cursor', file: join(home, '.cursor', 'mcp.json') },
    { id: 'windsurf', app: 'Windsurf', file: join(home, '.codeium', 'windsurf', 'mcp_config.json') },
    { id: 'lm-studio', app: 'LM Studio', file: join(home, '.lmstudio', 'mcp.json') },
    { id: 'vscode', app: 'VS Code', file: join(appSupport(where), 'Code', 'User', 'mcp.json') },
    { id: 'goose', app: 'Goose', file: where.platform === 'win32' ? join(appSupport(where), 'Block', 'goose', 'config', 'config.yaml') : join(home, '.config', 'goose', 'config.yaml') },
  ];
}

export interface OtherAppServers {
  /** Entries in Portcullis' `mcpServers` shape, by name. */
  servers: Record<string, Record<string, unknown>>;
  /** Entries that cannot come over as they are, one sentence each. */
  problems: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** One entry of another app, in Portcullis' shape; a string says why it cannot come over; null: not a server to bring. */
type Converted = Record<string, unknown> | string | null;

/** Claude Desktop's shape, give or take: VS Code's `${input:…}` prompts cannot be answered here; Windsurf says `serverUrl`. */
function convertMcpServer(app: string, entry: Record<string, unknown>): Converted {
  if (/\$\{input:/.test(JSON.stringify(entry))) return `takes a value that ${app} asks for when it starts (\${input:…}); add it by hand with that value.`;
  // Portcullis' own grants never come over: the other app ignores them, so an entry an install link or a script wrote
  // there ("sandbox": false, "trustedOutput": true) worked unseen, and imported it ran the server on the host.
  const { serverUrl, sandbox: _sandbox, trustedOutput: _trustedOutput, ...rest } = entry;
  return typeof serverUrl === 'string' && rest.url === undefined ? { ...rest, url: serverUrl } : rest;
}

/** A Goose extension (`cmd`, `envs`, `uri`, timeout in seconds); its built-in ones are Goose's own, not servers. */
function convertGooseExtension(entry: Record<string, unknown>): Converted {
  const { type, cmd, args, envs, uri, headers, timeout, enabled, env_keys: envKeys } = entry;
  if (Array.isArray(envKeys) && envKeys.length > 0) {
    return `takes ${envKeys.join(', ')} from Goose's keychain; set each in Settings → Secrets, then add the server by hand with "env": { "NAME": "secret:NAME" }.`;
  }
  const common = { ...(typeof timeout === 'number' ? { timeoutMs: timeout * 1000 } : {}), ...(enabled === false ? { enabled: false } : {}) };
  if (type === 'stdio') return { command: cmd, args: args ?? [], env: envs ?? {}, ...common };
  if (type === 'streamable_http' || type === 'sse') return { url: uri, headers: headers ?? {}, ...(type === 'sse' ? { type: 'sse' } : {}), ...common };
  return null;
}

/**
 * Claude Code keeps user-wide servers at the top of `~/.claude.json` and, by default (`claude mcp add` without a
 * scope), each project's under `projects.<folder>.mcpServers`. All come over; a name two of them define
 * differently comes from the first, the other is said.
 */
function claudeCodeServers(raw: Record<string, unknown>): Array<[string, Converted]> {
  const out = new Map<string, Converted>();
  const clashes: Array<[string, Converted]> = [];
  const scopes: Array<[string, unknown]> = [['', raw.mcpServers], ...Object.entries(isObject(raw.projects) ? raw.projects : {}).map(([folder, project]): [string, unknown] => [folder, isObject(project) ? project.mcpServers : undefined])];
  for (const [folder, section] of scopes) {
    for (const [name, entry] of Object.entries(isObject(section) ? section : {})) {
      if (!isObject(entry)) continue;
      const converted = convertMcpServer('Claude Code', entry);
      const first = out.get(name);
      if (first === undefined) out.set(name, converted);
      else if (JSON.stringify(first) !== JSON.stringify(converted)) clashes.push([name, `is defined differently for the project ${folder}; the first definition came over, add that one by hand under another name.`]);
    }
  }
  return [...out, ...clashes];
}

/** Where each app keeps its servers in its file, and how they read in Portcullis' shape. */
function serversOf(source: OtherAppConfig, text: string): Array<[string, Converted]> {
  const raw: unknown = source.id === 'goose' ? parseYaml(text) : JSON.parse(text);
  if (!isObject(raw)) return [];
  if (source.id === 'claude-code') return claudeCodeServers(raw);
  const section = raw[source.id === 'vscode' ? 'servers' : source.id === 'goose' ? 'extensions' : 'mcpServers'];
  return Object.entries(isObject(section) ? section : {})
    .filter((pair): pair is [string, Record<string, unknown>] => isObject(pair[1]))
    .map(([name, entry]) => [name, source.id === 'goose' ? convertGooseExtension(entry) : convertMcpServer(source.app, entry)]);
}

/**
 * The servers of another app's config, in Portcullis' shape. An entry that cannot run as it is here (a value its
 * app prompts for, or keeps in its own keychain) is left out, and said so.
 */
export function readOtherAppServers(source: OtherAppConfig): OtherAppServers | null {
  if (!existsSync(source.file)) return null;
  let entries: Array<[string, Converted]>;
  try {
    entries = serversOf(source, readFileSync(source.file, 'utf8'));
  } catch (error) {
    return { servers: {}, problems: [`${source.file} could not be read (${unreadableWhere(error)}).`] };
  }
  const servers: Record<string, Record<string, unknown>> = {};
  const problems: string[] = [];
  for (const [name, converted] of entries) {
    const why = typeof converted === 'string' ? converted : converted && keychainReferences(source.app, converted);
    if (why) problems.push(`${name} ${why}`);
    else if (converted && typeof converted !== 'string') servers[name] = converted;
  }
  return { servers, problems };
}

/**
 * Why an entry holding `secret:NAME` does not come over: to its own app that is plain text, but Portcullis would fill
 * it in from your keychain, so an entry an install link or a script planted there could take your model's key or
 * another server's token (`secret:provider.openai`, `secret:mcp.github.GITHUB_TOKEN`) to a server of its choosing.
 */
function keychainReferences(app: string, entry: Record<string, unknown>): string | null {
  const names = [...secretNamesIn(entry)].map((name) => `secret:${name}`);
  if (names.length === 0) return null;
  return `holds ${names.join(', ')}: to ${app} that is plain text, but Portcullis would fill it in from your keychain, so it was not brought over; add the server by hand if you mean it.`;
}
