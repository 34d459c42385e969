import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { HIDDEN_VALUE } from '../../src/core/mcp/hidden-credentials';
import { KeychainUnavailableError } from '../../src/core/secrets/keychain-unavailable';
import { MemorySecretStore, chaosServer, mcpBin, writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const PASTED_TOKEN = 'canary-pasted-token-77c1';

function start() {
  const secrets = new MemorySecretStore();
  const t = startTestRuntime({ approvalGate: new FixedApprovalGate('all'), secretStore: secrets });
  return { ...t, secrets, file: join(t.dataDir, 'mcp.json') };
}

describe('editing mcp.json on the Tools & servers page', () => {
  it('hides pasted credentials, moves them to the keychain on save, and starts what was added', async () => {
    const dataDir = tempDir();
    // As pasted from Claude Desktop: a token as a plain value, beside an ordinary setting.
    writeMcpConfig(dataDir, { first: { command: mcpBin('everything'), env: { GITHUB_PERSONAL_ACCESS_TOKEN: PASTED_TOKEN, LOG_LEVEL: 'debug', DATABASE_URL: `postgres://app:${PASTED_TOKEN}-db@localhost/notes` } } });
    const secrets = new MemorySecretStore();
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all'), secretStore: secrets });
    const file = join(dataDir, 'mcp.json');
    await runtime.mcp.settled();

    const shown = await runtime.handlers['tools.mcpConfig']({});
    expect(shown.file).toBe(file);
    expect(shown.text).not.toContain(PASTED_TOKEN);
    // A connection string with its password in it is a credential too, whatever the variable is called.
    expect(JSON.parse(shown.text).mcpServers.first.env).toEqual({ GITHUB_PERSONAL_ACCESS_TOKEN: HIDDEN_VALUE, LOG_LEVEL: 'debug', DATABASE_URL: HIDDEN_VALUE });

    // The person adds a server and saves, leaving the hidden value as shown.
    const edited = JSON.parse(shown.text);
    edited.mcpServers.second = { command: mcpBin('everything') };
    const saved = await runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify(edited) });
    expect(saved).toEqual({ saved: true, problems: [], movedToKeychain: ['mcp.first.GITHUB_PERSONAL_ACCESS_TOKEN', 'mcp.first.DATABASE_URL'] });
    expect(secrets.values.get('mcp.first.DATABASE_URL')).toBe(`postgres://app:${PASTED_TOKEN}-db@localhost/notes`);
    expect(secrets.values.get('mcp.first.GITHUB_PERSONAL_ACCESS_TOKEN')).toBe(PASTED_TOKEN);
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain(PASTED_TOKEN);
    expect(JSON.parse(onDisk).mcpServers.first.env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe('secret:mcp.first.GITHUB_PERSONAL_ACCESS_TOKEN');

    await runtime.mcp.settled();
    expect(runtime.mcp.status().map((s) => [s.name, s.state])).toEqual([['first', 'connected'], ['second', 'connected']]);
    expect((await runtime.callTool('second.echo', { message: 'added by the editor' })).record.status).toBe('succeeded');
    expect(JSON.stringify(await runtime.handlers['tools.mcpConfig']({}))).not.toContain(PASTED_TOKEN);

    // Removing a server stops it and takes its tools away.
    delete edited.mcpServers.second;
    expect((await runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify(edited) })).saved).toBe(true);
    expect(runtime.mcp.status().map((s) => s.name)).toEqual(['first']);
    expect((await runtime.callTool('second.echo', { message: 'gone' })).record.error?.code).toBe('TOOL_NOT_FOUND');
  }, 60_000);

  it("moves a pasted OAuth client secret to the keychain and keeps the rest of the oauth block", async () => {
    const { runtime, secrets, file } = start();
    const oauth = { clientId: 'portcullis-desktop', clientSecret: PASTED_TOKEN, callbackPort: 8080, scopes: 'repo' };
    const text = JSON.stringify({ mcpServers: { hosted: { url: 'https://mcp.example.com/mcp', oauth, enabled: false } } });
    expect(await runtime.handlers['tools.saveMcpConfig']({ text })).toEqual({ saved: true, problems: [], movedToKeychain: ['mcp.hosted.clientSecret'] });
    expect(secrets.values.get('mcp.hosted.clientSecret')).toBe(PASTED_TOKEN);
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers.hosted.oauth).toEqual({ ...oauth, clientSecret: 'secret:mcp.hosted.clientSecret' });
    expect((await runtime.handlers['tools.mcpConfig']({})).text).not.toContain(PASTED_TOKEN);
  });

  it('moves credentials pasted in args to the keychain (a connection string\'s password, --token X, --api-key=X), never to be seen again', async () => {
    const dataDir = tempDir();
    const canary = 'canary-arg-3d9b';
    const pasted = [chaosServer, '--say-args', '--describe', `postgresql://app:${canary}-pw@db.example/notes`, '--token', `${canary}-tok`, `--api-key=${canary}-key`, '--log-level', 'debug'];
    writeMcpConfig(dataDir, { pg: { command: process.execPath, args: pasted, sandbox: false } });
    const secrets = new MemorySecretStore();
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all'), secretStore: secrets });
    const file = join(dataDir, 'mcp.json');

    // Running as written by hand (no keychain move yet), its output already has them masked.
    await runtime.mcp.settled();
    expect(runtime.mcp.status()[0]?.stderrTail).toContain('--describe postgresql://app:[redacted]@db.example/notes --token [redacted] --api-key=[redacted]');
    // Shown hidden, the password alone in the URL (which database stays readable).
    const shown = JSON.parse((await runtime.handlers['tools.mcpConfig']({})).text);
    expect(shown.mcpServers.pg.args).toEqual([chaosServer, '--say-args', '--describe', `postgresql://app:${HIDDEN_VALUE}@db.example/notes`, '--token', HIDDEN_VALUE, `--api-key=${HIDDEN_VALUE}`, '--log-level', 'debug']);

    // Saved as shown, with an argument added in front: the hidden values are found by what they read, not by place.
    shown.mcpServers.pg.args.splice(1, 0, '--quiet');
    const saved = await runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify(shown) });
    expect(saved).toEqual({ saved: true, problems: [], movedToKeychain: ['mcp.pg.password', 'mcp.pg.token', 'mcp.pg.api-key'] });
    expect(Object.fromEntries(secrets.values)).toEqual({ 'mcp.pg.password': `${canary}-pw`, 'mcp.pg.token': `${canary}-tok`, 'mcp.pg.api-key': `${canary}-key` });
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers.pg.args).toEqual([
      chaosServer, '--quiet', '--say-args', '--describe', 'postgresql://app:secret:mcp.pg.password@db.example/notes', '--token', 'secret:mcp.pg.token', '--api-key=secret:mcp.pg.api-key', '--log-level', 'debug',
    ]);

    // The server gets them, and what it says back (its output, its tool's description) has them masked.
    await runtime.mcp.settled();
    const status = runtime.mcp.status().find((s) => s.name === 'pg')!;
    expect(status.state).toBe('connected');
    expect(status.stderrTail).toContain('--describe postgresql://app:[redacted]@db.example/notes --token [redacted] --api-key=[redacted]');
    const catalog = await runtime.handlers['tools.catalog']({});
    expect(catalog.tools.find((t) => t.name === 'pg.echo')?.description).toBe('postgresql://app:[redacted]@db.example/notes');
    expect((await runtime.callTool('pg.echo', { message: 'hello' })).record.status).toBe('succeeded');

    // A second save keeps the references as they are, and moves nothing again.
    expect(await runtime.handlers['tools.saveMcpConfig']({ text: (await runtime.handlers['tools.mcpConfig']({})).text })).toEqual({ saved: true, problems: [], movedToKeychain: [] });
    await runtime.mcp.settled();
    expect(JSON.stringify([await runtime.handlers['tools.mcpConfig']({}), runtime.mcp.status(), await runtime.handlers['tools.catalog']({})])).not.toContain(canary);
    await runtime.dispose();
    const stored = (readdirSync(dataDir, { recursive: true }) as string[]).map((name) => join(dataDir, name)).filter((path) => statSync(path).isFile());
    expect(stored.filter((path) => readFileSync(path).includes(canary))).toEqual([]);
  }, 60_000);

  it("text that is not JSON is refused by where its mistake is, not with JSON.parse's quote of the text around it", async () => {
    const { runtime } = start();
    // A token pasted unquoted, as the file on disk is said (unreadable-config.ts).
    const text = '{ "mcpServers": { "gh": { "command": "x", "env": { "GITHUB_TOKEN": ghp_pasted0canary } } } }';
    const result = await runtime.handlers['tools.saveMcpConfig']({ text });
    expect(result.problems).toEqual([expect.stringMatching(/^Not saved: this is not valid JSON \((its mistake is at line 1, column \d+|its mistake is at character \d+|it holds an unexpected character)\)\.$/)]);
    expect(result.problems.join(' ')).not.toContain('ghp_');
  });

  it('a hidden argument with nothing saved behind it is refused, naming the argument', async () => {
    const { runtime } = start();
    const text = JSON.stringify({ mcpServers: { pg: { command: 'x', args: ['--token', HIDDEN_VALUE] } } });
    expect(await runtime.handlers['tools.saveMcpConfig']({ text })).toMatchObject({ saved: false, problems: ["Not saved: pg's argument 2 is hidden, but mcp.json has no saved value for it. Type the value."] });
  });

  it.each([
    ['text that is not JSON', '{ "mcpServers": { ', /not valid JSON/],
    // Claude Desktop's config with a comma after its last argument: the line to fix, not "Unexpected token ']'".
    ['a comma after the last argument', '{ "mcpServers": {\n  "fs": {\n    "command": "npx",\n    "args": ["-y", "pkg",]\n  }\n} }', /^Not saved: line 4 ends its last entry with a comma before the \], which JSON does not allow: remove it\.$/],
    ['a file without mcpServers', '[]', /must be an object with an "mcpServers" object/],
    ['an entry with neither command nor url', '{ "mcpServers": { "broken": { "args": [] } } }', /server "broken" was skipped/],
    ['a bad server name', '{ "mcpServers": { "no spaces": { "command": "x" } } }', /names may use only letters/],
    ['a hidden value with nothing saved behind it', JSON.stringify({ mcpServers: { s: { command: 'x', env: { API_KEY: HIDDEN_VALUE } } } }), /s\.env\.API_KEY is hidden, but mcp\.json has no saved value/],
  ])('refuses %s and leaves the file as it was', async (_what, text, why) => {
    const { runtime, file } = start();
    writeMcpConfig(join(file, '..'), { kept: { command: 'kept-command', enabled: false } });
    const before = readFileSync(file, 'utf8');
    const result = await runtime.handlers['tools.saveMcpConfig']({ text });
    expect(result.saved).toBe(false);
    expect(result.problems.join(' ')).toMatch(why);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('without a keychain, a pasted credential is refused naming the value, the file left as it was', async () => {
    const secrets = new MemorySecretStore();
    secrets.set = () => Promise.reject(new KeychainUnavailableError('no Secret Service'));
    const { runtime, dataDir } = startTestRuntime({ approvalGate: new FixedApprovalGate('all'), secretStore: secrets });
    const pasted = { mcpServers: { memory: { command: mcpBin('everything'), env: { MEMORY_FILE_PATH: '/notes/memory.jsonl', API_TOKEN: PASTED_TOKEN } } } };
    const saved = await runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify(pasted) });
    expect(saved).toEqual({
      saved: false,
      movedToKeychain: [],
      problems: [expect.stringMatching(/^Not saved: memory's env API_TOKEN is a credential, which goes to the OS keychain on save, never into mcp\.json\. No OS keychain is available \(no Secret Service\)/)],
    });
    const withArgument = { mcpServers: { db: { command: mcpBin('everything'), args: ['--token', PASTED_TOKEN] } } };
    expect((await runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify(withArgument) })).problems).toEqual([
      expect.stringMatching(/^Not saved: db's argument 2 \(token\) is a credential/),
    ]);
    expect(readdirSync(dataDir)).not.toContain('mcp.json');
  });

  it('shows an empty config when there is no file yet', async () => {
    const { runtime } = start();
    expect(JSON.parse((await runtime.handlers['tools.mcpConfig']({})).text)).toEqual({ mcpServers: {} });
  });

  it('turns a server off and on (its "enabled" in mcp.json, the rest of the file kept) and restarts one now', async () => {
    const dataDir = tempDir();
    // A server whose script is missing at first: it fails until the file appears and it is restarted.
    const late = join(tempDir(), 'late-server.mjs');
    const chaos = join(repoRoot, 'tests', 'fixtures', 'mcp', 'chaos-server.mjs');
    writeMcpConfig(dataDir, {
      steady: { command: mcpBin('everything'), env: { LOG_LEVEL: 'debug' } },
      late: { command: process.execPath, args: [late], sandbox: false },
    });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    const file = join(dataDir, 'mcp.json');
    const control = (name: string, action: 'restart' | 'enable' | 'disable') => runtime.handlers['tools.controlServer']({ name, action });
    const state = (name: string) => runtime.mcp.status().find((s) => s.name === name)?.state;
    await runtime.mcp.settled();
    expect(state('late')).not.toBe('connected'); // failed, or already retrying with backoff

    expect(await control('steady', 'disable')).toEqual({ done: true, problems: [] });
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers.steady).toEqual({ command: mcpBin('everything'), env: { LOG_LEVEL: 'debug' }, enabled: false });
    expect(state('steady')).toBe('disabled');
    // Each row stays where mcp.json has it: turned off (or restarted), a server does not move to the end of the page.
    expect(runtime.mcp.status().map((s) => s.name)).toEqual(['steady', 'late']);
    expect((await runtime.callTool('steady.echo', { message: 'off' })).record.error?.code).toBe('MCP_SERVER_UNAVAILABLE');
    expect(await control('steady', 'enable')).toEqual({ done: true, problems: [] });
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers.steady).not.toHaveProperty('enabled');
    await runtime.mcp.settled();
    expect(await control('steady', 'restart')).toEqual({ done: true, problems: [] });
    expect(runtime.mcp.status().map((s) => s.name)).toEqual(['steady', 'late']);
    await runtime.mcp.settled();
    expect((await runtime.callTool('steady.echo', { message: 'on again' })).record.status).toBe('succeeded');

    writeFileSync(late, `await import(${JSON.stringify(pathToFileURL(chaos).href)});\n`);
    expect(await control('late', 'restart')).toEqual({ done: true, problems: [] });
    await runtime.mcp.settled();
    expect(runtime.mcp.status().find((s) => s.name === 'late')).toMatchObject({ state: 'connected', restarts: 0 });

    expect(await control('nobody', 'restart')).toMatchObject({ done: false, problems: [expect.stringContaining('No server "nobody" is running')] });
    expect(await control('nobody', 'disable')).toEqual({ done: false, problems: ['Not changed: mcp.json has no server "nobody".'] });
  }, 60_000);

  it('a server pasted from Cline or Windsurf with "disabled": true stays off, and Turn on starts it', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { clineOff: { command: mcpBin('everything'), disabled: true, autoApprove: [] } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    expect(runtime.mcp.status()).toEqual([expect.objectContaining({ name: 'clineOff', state: 'disabled' })]);
    expect(await runtime.handlers['tools.controlServer']({ name: 'clineOff', action: 'enable' })).toEqual({ done: true, problems: [] });
    expect(JSON.parse(readFileSync(join(dataDir, 'mcp.json'), 'utf8')).mcpServers.clineOff).toEqual({ command: mcpBin('everything'), autoApprove: [] });
    await runtime.mcp.settled();
    expect(runtime.mcp.status()).toEqual([expect.objectContaining({ name: 'clineOff', state: 'connected' })]);
  }, 30_000);

  it('turns one tool off and on without restarting its server: never offered or run while off, and it stays off across a restart', async () => {
    const dataDir = tempDir();
    const chaos = join(repoRoot, 'tests', 'fixtures', 'mcp', 'chaos-server.mjs');
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaos], sandbox: false } });
    const first = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    const { runtime } = first;
    await runtime.mcp.settled();
    const turn = (name: string, enabled: boolean) => runtime.handlers['tools.setToolEnabled']({ name, enabled });

    // A call in flight while the tool list changes finishes: the server was not restarted under it.
    const inFlight = runtime.callTool('chaos.progress', { steps: 8, everyMs: 100 });
    expect(await turn('chaos.echo', false)).toEqual({ done: true, problems: [] });
    expect((await inFlight).record.status).toBe('succeeded');
    expect(JSON.parse(readFileSync(join(dataDir, 'mcp.json'), 'utf8')).mcpServers.chaos.disabledTools).toEqual(['echo']);
    expect(runtime.listTools().map((t) => t.name)).not.toContain('chaos.echo');
    expect((await runtime.callTool('chaos.echo', { message: 'off' })).record.error?.code).toBe('TOOL_NOT_FOUND');
    const listed = (await runtime.handlers['tools.catalog']({})).tools;
    expect(listed.find((t) => t.name === 'chaos.echo')).toMatchObject({ turnedOff: true });
    expect(listed.find((t) => t.name === 'chaos.fail')).toMatchObject({ turnedOff: false });
    expect(await turn('everything.echo', false)).toEqual({ done: false, problems: ['No MCP server lists a tool named everything.echo now.'] });
    await runtime.dispose();

    const second = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') }).runtime;
    await second.mcp.settled();
    expect(second.listTools().map((t) => t.name)).not.toContain('chaos.echo');
    expect(await second.handlers['tools.setToolEnabled']({ name: 'chaos.echo', enabled: true })).toEqual({ done: true, problems: [] });
    expect(JSON.parse(readFileSync(join(dataDir, 'mcp.json'), 'utf8')).mcpServers.chaos).not.toHaveProperty('disabledTools');
    expect((await second.callTool('chaos.echo', { message: 'on again' })).record.status).toBe('succeeded');
  }, 60_000);

  it('a server turned off while it re-lists its tools leaves none of them behind', async () => {
    const dataDir = tempDir();
    const chaos = join(repoRoot, 'tests', 'fixtures', 'mcp', 'chaos-server.mjs');
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaos, '--slow-relist', '150'], sandbox: false } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    // The server announces a new tool list; the answer to the re-list comes 150 ms later, after it was turned off.
    expect((await runtime.callTool('chaos.relist', {})).record.status).toBe('succeeded');
    expect((await runtime.handlers['tools.controlServer']({ name: 'chaos', action: 'disable' })).done).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(runtime.listTools().filter((tool) => tool.server === 'chaos')).toEqual([]);
    expect((await runtime.callTool('chaos.echo', { message: 'off' })).record.error?.code).toBe('MCP_SERVER_UNAVAILABLE');
  }, 30_000);
});
