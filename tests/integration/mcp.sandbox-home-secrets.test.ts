import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { defaultDataDir } from '../../src/core/config/data-paths';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const CANARY = 'canary-home-secret-61b9';
const KEY_CANARY = 'sk-canary-portcullis-own-key-2c7a';

/** Where a typical developer's or analyst's machine keeps secrets, one or more of each kind, in a fake home. */
const SECRETS = [
  // browsers: signed-in sessions and saved passwords
  '.mozilla/firefox/abc.default-release/cookies.sqlite', '.mozilla/firefox/abc.default-release/logins.json',
  '.config/google-chrome/Default/Cookies', '.config/chromium/Default/Login Data', '.config/BraveSoftware/Brave-Browser/Default/Cookies',
  '.config/microsoft-edge/Default/Cookies', 'snap/firefox/common/.mozilla/firefox/x/cookies.sqlite', '.var/app/com.google.Chrome/config/google-chrome/Default/Cookies',
  'Library/Application Support/Google/Chrome/Default/Cookies', 'Library/Application Support/Firefox/Profiles/x/cookies.sqlite',
  'Library/Cookies/Cookies.binarycookies', 'Library/Keychains/login.keychain-db', 'Library/Safari/History.db',
  // histories: tokens pasted on a command line or into a REPL
  '.bash_history', '.zsh_history', '.local/share/fish/fish_history', '.python_history', '.psql_history', '.node_repl_history', '.mysql_history',
  // cloud, deployment and registry CLIs
  '.config/doctl/config.yaml', '.terraform.d/credentials.tfrc.json', '.cargo/credentials.toml', '.config/hub', '.m2/settings.xml',
  '.gradle/gradle.properties', '.s3cfg', '.config/rclone/rclone.conf', '.config/op/config', '.fly/config.yml',
  '.config/configstore/firebase-tools.json', '.yarnrc.yml', '.bunfig.toml', '.config/pip/pip.conf', '.config/git/credentials',
  '.cert/nm-openvpn/office-vpn.key', '.pki/nssdb/key4.db', '.config/filezilla/sitemanager.xml', '.subversion/auth/svn.simple/abc',
  // databases and data platforms
  '.pgpass', '.my.cnf', '.dbt/profiles.yml', '.snowflake/connections.toml', '.Renviron',
  '.local/share/DBeaverData/workspace6/General/.dbeaver/credentials-config.json',
  // editors and API clients
  '.config/JetBrains/IntelliJIdea2024.3/c.kdbx', '.config/Code/User/globalStorage/state.vscdb', '.config/Postman/Partitions/x/IndexedDB/y',
  // AI tools
  '.huggingface/token', '.cache/huggingface/token', '.ollama/id_ed25519', '.claude/.credentials.json', '.config/github-copilot/apps.json',
  '.config/Cursor/User/globalStorage/state.vscdb', '.config/Claude/Network/Cookies', 'Library/Application Support/Claude/Local Storage/leveldb/000003.log',
  // mail and chat
  '.msmtprc', '.config/Slack/Cookies', '.config/discord/Local Storage/leveldb/000003.log', '.thunderbird/x.default/logins.json',
  '.local/share/TelegramDesktop/tdata/key_datas',
];

/** In the login session's runtime folder: podman's registry logins, and a network share gvfs mounted. */
const SESSION_SECRETS = ['containers/auth.json', 'gvfs/smb-share:server=nas,share=finance/budget.csv'];

/** What servers need from the same folders: their programs, package caches and models stay readable. */
const NEEDED = ['Library/Application Support/Claude/Claude Extensions/acme/server/index.js', '.cargo/bin/some-mcp', '.m2/repository/org/acme/acme.pom', '.cache/huggingface/hub/models--acme/config.json', '.npm/_npx/abc/package.json', '.fly/bin/flyctl', '.gitconfig'];

let home = '';
let session = '';
beforeAll(() => {
  home = join(tmpdir(), `portcullis-home-secrets-${process.pid}`);
  session = join(tmpdir(), `portcullis-session-${process.pid}`);
  for (const path of [...SECRETS.map((p) => join(home, p)), ...NEEDED.map((p) => join(home, p)), ...SESSION_SECRETS.map((p) => join(session, p))]) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${CANARY} ${path}`);
  }
  vi.stubEnv('HOME', home);
  vi.stubEnv('XDG_RUNTIME_DIR', session);
  // The usual data folders are the fake home's, never a real one.
  vi.stubEnv('XDG_DATA_HOME', undefined);
  vi.stubEnv('XDG_CONFIG_HOME', undefined);
  // Portcullis' own keys, as a person who exports them before starting it has them in its environment.
  vi.stubEnv('OPENAI_API_KEY', KEY_CANARY);
  vi.stubEnv('ANTHROPIC_API_KEY', KEY_CANARY);
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
  rmSync(session, { recursive: true, force: true });
});

function start(dataDir: string): Runtime {
  const server = { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 };
  // `jailed` may read the home folder (`readHome`), as every server could before it was private: the credentials are
  // what it still cannot read. `private` has the default, where they are hidden with the rest of the home folder.
  writeMcpConfig(dataDir, { jailed: { ...server, sandbox: { allowWrite: [], readHome: true } }, private: { ...server, sandbox: {} }, loose: { ...server, sandbox: false } });
  return startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') }).runtime;
}

/** What `server` reads at `path`, passed where the policy's secret-file globs do not look: the sandbox alone refuses it. */
const read = async (runtime: Runtime, server: string, path: string) => resultText((await runtime.callTool(`${server}.read_named`, { name: path })).record.result);

describe("MCP servers under the OS sandbox: the home folder's secrets", () => {
  it("no server with no grant reads browser profiles, histories, CLI and app credentials, the login session's runtime folder or another data folder; what servers run on stays readable", async () => {
    // The usual data folders (the CLI's; on Linux the desktop app's, Electron's userData), while this Portcullis keeps
    // its data elsewhere (`--data-dir`).
    const usual = [join(defaultDataDir(), 'portcullis.db'), ...(process.platform === 'linux' ? [join(home, '.config', 'Portcullis', 'portcullis.db'), join(home, '.config', 'portcullis', 'Cookies')] : [])];
    for (const file of usual) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${CANARY} another Portcullis' data`);
    }
    const runtime = start(tempDir());
    await runtime.mcp.settled();
    const jailed = runtime.mcp.status().find((s) => s.name === 'jailed')!;
    expect(jailed, jailed.error ?? '').toMatchObject({ state: 'connected', sandboxed: true });

    for (const path of [...SECRETS.map((p) => join(home, p)), ...(process.platform === 'linux' ? SESSION_SECRETS.map((p) => join(session, p)) : []), ...usual]) {
      for (const name of ['jailed', 'private']) {
        const seen = await read(runtime, name, path);
        expect(seen, `${name} ${path}`).toMatch(/^BLOCKED/);
        expect(seen).not.toContain(CANARY);
      }
      expect(await read(runtime, 'loose', path), path).toContain(CANARY); // the canary was there to steal
    }
    for (const path of NEEDED) expect(await read(runtime, 'jailed', join(home, path)), path).toContain(CANARY);

    // Portcullis' own environment (its API keys) is not inherited, and its process is not in the sandbox's /proc.
    for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY']) {
      expect(resultText((await runtime.callTool('jailed.env_var', { name })).record.result), name).toBe('(unset)');
    }
    const ownEnvironment = `/proc/${process.pid}/environ`;
    const seen = await read(runtime, 'loose', ownEnvironment);
    expect(seen).toMatch(/^ALLOWED .*PATH=/s);
    expect(await read(runtime, 'jailed', ownEnvironment)).not.toBe(seen);
  }, 90_000);
});
