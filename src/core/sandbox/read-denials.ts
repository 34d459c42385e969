import { mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { exportsFolder } from '../config/data-paths';
import { otherAppConfigs } from '../mcp/import/other-app-configs';
import { isInside } from '../policy/matchers/resolve-path';

/** Credentials, token stores and system secrets no MCP server may read, whatever its profile grants. */
export function credentialPaths(): string[] {
  const home = homedir();
  return [
    ...['.ssh', '.aws', '.azure', '.gnupg', '.docker', '.kube', '.netrc', '.git-credentials', '.npmrc', '.pypirc', '.vault-token', '.password-store']
      .map((name) => join(home, name)),
    join(home, '.config', 'gcloud'), join(home, '.config', 'gh'), join(home, '.local', 'share', 'keyrings'),
    '/etc/shadow', '/etc/gshadow', '/etc/sudoers',
    ...(process.env['npm_config_userconfig'] ? [process.env['npm_config_userconfig']] : []),
    // Other MCP hosts' server lists (Claude Desktop's, Cursor's…) hold their servers' tokens written out, as pasted.
    ...otherAppConfigs({ home, platform: process.platform, ...(process.env['APPDATA'] ? { appData: process.env['APPDATA'] } : {}) }).map((app) => app.file),
  ];
}

/**
 * What a server may not read of Portcullis's data folder (its databases, traces, exports, logs, policy and server
 * config): all of it, or, when the workspace lives inside it (the default layout), everything around the workspace,
 * listed when the server starts. (A tmpfs over the whole folder with the workspace bound back would also hide files
 * made later, but sandbox-runtime binds that workspace read-only over the write grants inside it.) The exports
 * folder is made first, so an export written while the server runs lands in a hidden folder.
 */
export function dataFolderDenies(dataDir: string, workspace: string): string[] {
  if (!isInside(workspace, dataDir, false)) return [dataDir];
  mkdirSync(exportsFolder(dataDir), { recursive: true });
  const denies: string[] = [];
  for (let dir = dataDir; dir !== workspace; ) {
    const next = join(dir, relative(dir, workspace).split(sep)[0]!);
    for (const entry of readdirSync(dir)) if (join(dir, entry) !== next) denies.push(join(dir, entry));
    dir = next;
  }
  return denies;
}
