import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ApprovalAnswer, FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { ApprovalRequest } from '../../src/shared/domain/approval';
import { chaosServer, MemorySecretStore, mcpBin, writeMcpConfig } from '../helpers/mcp';
import { RecordingGate } from '../helpers/recording-gate';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe('MCP servers from the npm registry over real stdio', () => {
  it('lists everything, memory and filesystem tools with their annotations and calls them through the gateway', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    mkdirSync(join(workspace, 'memory'));
    writeFileSync(join(workspace, 'notes.txt'), 'hello from the workspace');
    writeMcpConfig(dataDir, {
      everything: { command: mcpBin('everything') },
      // Named as Claude Desktop's config names it, beside Portcullis' own memory.* tools.
      memory: { command: mcpBin('memory'), env: { MEMORY_FILE_PATH: join(workspace, 'memory', 'memory.jsonl') }, sandbox: { allowWrite: ['memory'] } },
      filesystem: { command: mcpBin('filesystem'), args: [workspace], sandbox: { allowWrite: ['.'] } },
    });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();

    const status = runtime.mcp.status();
    expect(status.map((s) => [s.name, s.state])).toEqual([['everything', 'connected'], ['memory', 'connected'], ['filesystem', 'connected']]);
    expect(status.map((s) => s.toolPrefix)).toEqual(['everything', 'mcp-memory', 'filesystem']);
    expect(status.every((s) => s.toolCount > 5 && s.breaker === 'closed' && s.sandboxed)).toBe(true);

    const tools = new Map(runtime.listTools().map((t) => [t.name, t]));
    expect(tools.get('everything.echo')?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(tools.get('filesystem.write_file')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tools.get('mcp-memory.create_entities')?.server).toBe('memory');
    expect(tools.has('fs.read')).toBe(true); // built-ins stay
    expect(tools.get('memory.save')?.server).toBeUndefined();

    const echo = await runtime.callTool('everything.echo', { message: 'over stdio' });
    expect(echo.record.status).toBe('succeeded');
    expect(echo.record.untrusted).toBe(true);
    expect(resultText(echo.record.result)).toContain('over stdio');
    expect(echo.record.decision?.effect).toBe('allow');
    expect(echo.traceId).toMatch(/^[0-9a-f]{32}$/);

    const created = await runtime.callTool('mcp-memory.create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] });
    expect(created.record.decision?.effect).toBe('ask'); // mutating: the person is asked
    expect(created.record.approval).toBe('approved');
    expect(created.record.status).toBe('succeeded');
    const graph = await runtime.callTool('mcp-memory.read_graph', {});
    expect(resultText(graph.record.result)).toContain('wrote the first program');

    const read = await runtime.callTool('filesystem.read_text_file', { path: join(workspace, 'notes.txt') });
    expect(resultText(read.record.result)).toBe('hello from the workspace');
  });

  it('surfaces tool errors and invalid arguments as clear tool errors', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    writeMcpConfig(dataDir, { filesystem: { command: mcpBin('filesystem'), args: [workspace] } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('none') });
    await runtime.mcp.settled();

    const outside = await runtime.callTool('filesystem.read_text_file', { path: '/etc/hostname' });
    expect(outside.record.status).toBe('failed');
    expect(outside.record.error?.code).toBe('TOOL_FAILED');
    expect(outside.record.error?.message).toMatch(/filesystem\.read_text_file reported an error: .*(denied|outside)/i);

    const invalid = await runtime.callTool('filesystem.read_text_file', { nope: 1 });
    expect(invalid.record.error?.code).toBe('TOOL_ARGUMENTS_INVALID');
    expect(invalid.record.error?.message).toContain('path');

    const mutating = await runtime.callTool('filesystem.write_file', { path: join(workspace, 'x.txt'), content: 'x' });
    expect(mutating.record.status).toBe('denied'); // mutating, and the person said no
  });

  it("a write its sandbox kept read-only says it was the sandbox's doing and where to grant the folder", async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(join(workspace, 'notes'), { recursive: true });
    // Claude Desktop's usual entry, with a grant narrower than the folder the server is given.
    writeMcpConfig(dataDir, { filesystem: { command: mcpBin('filesystem'), args: [workspace], sandbox: { allowWrite: ['notes'] } } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    expect(runtime.mcp.status().find((s) => s.name === 'filesystem')).toMatchObject({ sandboxed: true });

    const granted = await runtime.callTool('filesystem.write_file', { path: join(workspace, 'notes', 'a.txt'), content: 'a' });
    expect(granted.record.status).toBe('succeeded');
    const kept = await runtime.callTool('filesystem.write_file', { path: join(workspace, 'b.txt'), content: 'b' });
    expect(kept.record.status).toBe('failed');
    expect(kept.record.error?.message).toMatch(/EROFS/);
    expect(kept.record.error?.message).toContain(`Portcullis' sandbox kept this write from happening: filesystem may write only ${join(workspace, 'notes')}.`);
    expect(kept.record.error?.message).toContain('"allowWrite"');
  });

  it('the approval of a write its sandbox will refuse says so before the answer, and not for one it may write', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    // Outside the data folder, which no server may write (its row would offer no button for it).
    const sales = tempDir();
    mkdirSync(join(workspace, 'notes'), { recursive: true });
    // A pasted Claude Desktop entry on a folder outside the workspace: read, not written, until the person grants it.
    writeMcpConfig(dataDir, { filesystem: { command: mcpBin('filesystem'), args: [sales, workspace], sandbox: { allowWrite: ['notes'] } } });
    const gate = new RecordingGate();
    const { runtime } = startTestRuntime({ dataDir, approvalGate: gate });
    await runtime.mcp.settled();

    await runtime.callTool('filesystem.write_file', { path: join(sales, 'q3-summary.md'), content: '# Q3\n' });
    expect(gate.asked.at(-1)?.sandboxWarning).toBe(
      `filesystem's sandbox lets it write only ${join(workspace, 'notes')}: if this call writes in ${sales}, the write will be refused. ` +
        `"Allow filesystem to write ${sales}" on the Tools & servers page lets it, or add the folder to "sandbox": { "allowWrite": [...] } of filesystem in mcp.json. Grant it before allowing this call.`,
    );
    const granted = await runtime.callTool('filesystem.write_file', { path: join(workspace, 'notes', 'a.txt'), content: 'a' });
    expect(granted.record.status).toBe('succeeded');
    expect(gate.asked.at(-1)?.sandboxWarning).toBeUndefined();
  });

  it('a write allowed after the person granted its folder while the approval waited, as the warning says to, runs on the restarted server', async () => {
    const dataDir = tempDir();
    const notes = tempDir();
    writeMcpConfig(dataDir, { filesystem: { command: mcpBin('filesystem'), args: [notes] } });
    const started: { runtime?: ReturnType<typeof startTestRuntime>['runtime'] } = {};
    const filesystem = () => started.runtime!.mcp.status().find((s) => s.name === 'filesystem')!;
    // The person reads the warning, grants the folder on the Tools & servers page (the server restarts with it), then allows.
    const gate = {
      request: async (request: ApprovalRequest): Promise<ApprovalAnswer> => {
        expect(request.sandboxWarning).toContain('Grant it before allowing this call.');
        const before = filesystem().restarts;
        expect(await started.runtime!.handlers['tools.allowWrite']({ name: 'filesystem', folder: notes })).toMatchObject({ problems: [] });
        const deadline = Date.now() + 20_000;
        while (!(filesystem().state === 'connected' && started.runtime!.listTools().some((t) => t.name === 'filesystem.write_file') && filesystem().sandboxGrants?.writable.includes(notes))) {
          if (Date.now() > deadline) throw new Error(`filesystem did not come back with the grant (restarts ${before})`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return { outcome: 'approved' };
      },
    };
    const { runtime } = startTestRuntime({ dataDir, approvalGate: gate });
    started.runtime = runtime;
    await runtime.mcp.settled();
    const { record } = await runtime.callTool('filesystem.write_file', { path: join(notes, 'plan.md'), content: '# Plan\n' });
    expect(record.error?.message ?? '').not.toMatch(/restarted with its changed settings/);
    expect(record.status).toBe('succeeded');
    expect(readFileSync(join(notes, 'plan.md'), 'utf8')).toBe('# Plan\n');
  }, 60_000);

  it('the approval of a change server-memory cannot save, its env\'s MEMORY_FILE_PATH being where its sandbox refuses writes, says so before the answer', async () => {
    const dataDir = tempDir();
    // Pasted from Claude Desktop with its data file in a folder of the person's, which it was not let write.
    const documents = tempDir();
    const memoryFile = join(documents, 'memory.jsonl');
    writeMcpConfig(dataDir, { memory: { command: mcpBin('memory'), env: { MEMORY_FILE_PATH: memoryFile } } });
    const gate = new RecordingGate();
    const { runtime } = startTestRuntime({ dataDir, approvalGate: gate });
    await runtime.mcp.settled();

    await runtime.callTool('mcp-memory.create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['likes tea'] }] });
    expect(gate.asked.at(-1)?.sandboxWarning).toBe(
      `memory's sandbox lets it write nothing of yours, and its env's MEMORY_FILE_PATH names ${memoryFile}, where it keeps its data: if this call writes there, the write will be refused. ` +
        `"Allow memory to write ${documents}" on the Tools & servers page lets it, or add the folder to "sandbox": { "allowWrite": [...] } of memory in mcp.json. Grant it before allowing this call.`,
    );
  });

  it('server-memory writing its default file into its own package is told to be pointed at a data file elsewhere, not granted node_modules', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(join(workspace, 'memory'), { recursive: true });
    // Pasted from Claude Desktop without MEMORY_FILE_PATH: its default file is beside its code, in node_modules.
    writeMcpConfig(dataDir, { memory: { command: mcpBin('memory'), sandbox: { allowWrite: ['memory'] } } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    expect(runtime.mcp.status().find((s) => s.name === 'memory')).toMatchObject({ sandboxed: true });

    const kept = await runtime.callTool('mcp-memory.create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['likes tea'] }] });
    expect(kept.record.status).toBe('failed');
    const message = kept.record.error?.message ?? '';
    expect(message).toMatch(/node_modules\/\S*memory\.jsonl\S*, inside its own package/);
    expect(message).toContain(`"MEMORY_FILE_PATH": "${join(workspace, 'memory', 'memory.jsonl')}"`);
    expect(message).not.toContain('allowWrite');
  });

  it('injects secret:NAME from the secret store as env and never hands the value back', async () => {
    const dataDir = tempDir();
    const canary = 'canary-8f1c2d9e-secret';
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), env: { API_TOKEN: 'secret:everything_token' } } });
    const { runtime } = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ everything_token: canary }) });
    await runtime.mcp.settled();
    const env = await runtime.callTool('everything.get-env', {});
    const text = resultText(env.record.result);
    expect(text).toMatch(/"API_TOKEN":\s*"\[redacted\]"/); // it reached the server, and came back hidden
    expect(JSON.stringify(env.record)).not.toContain(canary);
  });

  it('resolves secret:NAME in a server\'s arguments too (a connection string, a token given as an argument)', async () => {
    const dataDir = tempDir();
    const canary = 'canary-argument-3e9d';
    // The chaos server takes its echo tool's description as an argument: it shows what the server was given.
    writeMcpConfig(dataDir, { byArg: { command: process.execPath, args: [chaosServer, '--describe', 'secret:mcp.byArg.desc'] } });
    const { runtime } = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ 'mcp.byArg.desc': canary }) });
    await runtime.mcp.settled();
    const echo = runtime.listTools().find((t) => t.name === 'byArg.echo');
    expect(echo?.description).toBe('[redacted]'); // it received the secret, and it came back hidden
    expect(JSON.stringify(runtime.listTools())).not.toContain(canary);

    writeMcpConfig(dataDir, { byArg: { command: process.execPath, args: [chaosServer, '--describe', 'secret:mcp.byArg.gone'] } });
    const missing = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({}) }).runtime;
    await missing.mcp.settled();
    expect(missing.mcp.status()[0]?.error).toMatch(/needs the secret "mcp\.byArg\.gone" for argument 3, but it is not set/);
  });

  it('runs a server in its "cwd", ~ read as the home folder; one that is not there is said so, not as "spawn /bin/sh ENOENT"', async () => {
    const dataDir = tempDir();
    const inHome = mkdtempSync(join(homedir(), '.portcullis-cwd-test-'));
    try {
      writeMcpConfig(dataDir, {
        home: { command: mcpBin('everything'), cwd: `~/${basename(inHome)}` },
        gone: { command: mcpBin('everything'), cwd: join(dataDir, 'no-such-folder') },
      });
      const { runtime } = startTestRuntime({ dataDir });
      await runtime.mcp.settled();
      expect(runtime.mcp.status().find((s) => s.name === 'home')?.state).toBe('connected');
      expect(runtime.mcp.status().find((s) => s.name === 'gone')?.error).toBe(`it failed to start (its "cwd" folder ${join(dataDir, 'no-such-folder')} does not exist: create it, or fix "cwd" in mcp.json)`);
      await runtime.dispose();
    } finally {
      rmSync(inHome, { recursive: true, force: true });
    }
  });

  it('a server that failed for want of a secret starts as soon as the secret is set, not after its backoff', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, {
      waiting: { command: mcpBin('everything'), env: { API_TOKEN: 'secret:mcp.waiting.token' } },
      other: { command: mcpBin('everything'), env: { API_TOKEN: 'secret:mcp.waiting.token2' } }, // a longer name is another secret
    });
    const { runtime } = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({}) });
    await runtime.mcp.settled();
    expect(runtime.mcp.status().map((s) => s.state)).toEqual(['failed', 'failed']);

    await runtime.handlers['secrets.set']({ name: 'mcp.waiting.token', value: 'canary-set-late-5a1e' });
    // Set through Settings → Secrets: it is started again at once (its backoff would wait seconds more).
    expect(runtime.mcp.status().find((s) => s.name === 'waiting')).toMatchObject({ state: 'starting', restarts: 0 });
    await runtime.mcp.settled();
    expect(runtime.mcp.status().find((s) => s.name === 'waiting')?.state).toBe('connected');
    expect(runtime.mcp.status().find((s) => s.name === 'other')?.state).toBe('failed');
  });

  it('reports a missing secret, a broken file and a bad entry without stopping the runtime', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, {
      needsSecret: { command: mcpBin('everything'), env: { TOKEN: 'secret:missing' }, sandbox: false },
      'bad name!': { command: 'x' },
      noCommand: { args: ['x'] },
      // fs.* is built in and mcp-fs.* is this server's: a server called "fs" has no prefix left.
      'mcp-fs': { command: mcpBin('everything'), sandbox: false },
      fs: { command: mcpBin('everything'), sandbox: false },
      notInstalled: { command: 'uvx-not-installed-here', args: ['some-server'] },
      // Copied from another computer: node is here, the server it was built at is not.
      notBuiltHere: { command: 'node', args: [join(dataDir, 'mcp', 'build', 'index.js'), '/srv/data'] },
    });
    const { runtime } = startTestRuntime({ dataDir });
    await runtime.mcp.settled();
    expect(runtime.mcp.problems.join('\n')).toMatch(/"bad name!" was skipped/);
    expect(runtime.mcp.problems.join('\n')).toMatch(/"noCommand" was skipped: it needs "command"/);
    expect(runtime.mcp.problems.join('\n')).toMatch(/"fs" was skipped: both fs\.\* and mcp-fs\.\* are taken/);
    expect(runtime.listTools().find((t) => t.name === 'fs.read')?.server).toBeUndefined();
    const [needsSecret] = runtime.mcp.status();
    expect(needsSecret).toMatchObject({ name: 'needsSecret', state: 'failed' });
    expect(needsSecret!.error).toMatch(/needs the secret "missing"/);
    // A call to one of its tools says why it cannot run, not that there is no such tool.
    expect((await runtime.callTool('needsSecret.echo', { message: 'x' })).record.error?.message).toMatch(/^The needsSecret MCP server is not running \(.*needs the secret "missing".*\), so needsSecret\.echo cannot be used now; the Tools & servers page shows its state\.$/);
    expect(runtime.mcp.status().find((s) => s.name === 'notInstalled')).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('"uvx-not-installed-here" is not installed: no program of that name is on the PATH'),
      // Starting it again finds it no more: no countdown, no restarts, until mcp.json changes or Restart.
      nextRestartAt: null,
      restarts: 0,
    });
    expect(runtime.mcp.status().find((s) => s.name === 'notBuiltHere')).toMatchObject({
      state: 'failed',
      error: `${join(dataDir, 'mcp', 'build', 'index.js')}, the script "node" is to run (in its "args" in mcp.json), does not exist: correct the path, or build or install the server there; then Restart.`,
      nextRestartAt: null,
      restarts: 0,
    });
    // Said as is, not nested in "it failed to start (…)".
    expect(runtime.mcp.status().find((s) => s.name === 'notInstalled')?.error).toMatch(/^"uvx-not-installed-here" is not installed: no program of that name is on the PATH\. Install it, or give "command" as a full path in mcp\.json; then Restart\. The PATH searched: /);

    const broken = tempDir();
    writeFileSync(join(broken, 'mcp.json'), '{ "mcpServers": { oops');
    const second = startTestRuntime({ dataDir: broken });
    expect(second.runtime.mcp.problems[0]).toMatch(/mcp\.json is not valid JSON .*no MCP servers were started/);
    const list = await second.runtime.callTool('fs.list', {});
    expect(list.record.status).toBe('succeeded');
  });
});
