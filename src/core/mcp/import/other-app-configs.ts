import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OtherAppId } from '../../../shared/domain/mcp-import';
import { messageOf } from '../../../shared/errors';

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
  ];
}

export interface OtherAppServers {
  /** Entries in Portcullis' `mcpServers` shape, by name. */
  servers: Record<string, Record<string, unknown>>;
  /** Entries that cannot come over as they are, one sentence each. */
  problems: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The servers of another app's config, in Portcullis' shape: VS Code's `servers` are read as `mcpServers`, and
 * Windsurf's `serverUrl` as `url`. An entry that takes a value from a prompt of its app (VS Code's
 * `${input:…}`) cannot run here and is left out, said so.
 */
export function readOtherAppServers(source: OtherAppConfig): OtherAppServers | null {
  if (!existsSync(source.file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(source.file, 'utf8'));
  } catch (error) {
    return { servers: {}, problems: [`${source.file} could not be read (${messageOf(error)}).`] };
  }
  const section = isObject(raw) ? (source.id === 'vscode' ? raw.servers : raw.mcpServers) : undefined;
  const servers: Record<string, Record<string, unknown>> = {};
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(isObject(section) ? section : {})) {
    if (!isObject(entry)) continue;
    if (/\$\{input:/.test(JSON.stringify(entry))) {
      problems.push(`${name} takes a value that ${source.app} asks for when it starts (\${input:…}); add it by hand with that value.`);
      continue;
    }
    const { serverUrl, ...rest } = entry;
    servers[name] = typeof serverUrl === 'string' && rest.url === undefined ? { ...rest, url: serverUrl } : rest;
  }
  return { servers, problems };
}
