import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ApprovalAnswer, ApprovalGate } from '../../src/core/approvals/approval-gate';
import type { ApprovalRequest } from '../../src/shared/domain/approval';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { startRecordingHttpMcpServer } from '../helpers/recording-http-mcp-server';
import { ScriptedModel, type ScriptStep } from '../helpers/scripted-model';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

/** The person answers every question with "Allow for this conversation"; what they were asked is kept. */
class AllowForConversationGate implements ApprovalGate {
  readonly asked: ApprovalRequest[] = [];

  async request(request: ApprovalRequest): Promise<ApprovalAnswer> {
    this.asked.push(request);
    return { outcome: 'approved', choice: 'allow_conversation', decidedBy: 'person: allow_conversation' };
  }
}

/** The real filesystem server, sandboxed, on the workspace (which it may write), as the person's mcp.json starts it. */
async function start(entry: Record<string, unknown>, steps: (workspace: string) => ScriptStep[]) {
  const dataDir = tempDir();
  const workspace = join(dataDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeMcpConfig(dataDir, { files: { command: mcpBin('filesystem'), args: [workspace], sandbox: { allowWrite: [workspace] }, maxRetries: 0, ...entry } });
  const gate = new AllowForConversationGate();
  const t = startTestRuntime({ dataDir, workspace, model: new ScriptedModel(steps(workspace)), approvalGate: gate });
  await t.runtime.mcp.settled();
  const conversation = await t.runtime.handlers['conversations.create']({});
  const result = await t.runtime.startTurn(conversation.id, 'write, read, write').done;
  const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
  const sources = db.prepare('SELECT DISTINCT description FROM taint_sources').pluck().all();
  db.close();
  return { t, gate, result, sources, status: t.runtime.mcp.status().find((s) => s.name === 'files')! };
}

const writeReadWrite = (workspace: string): ScriptStep[] => [
  { calls: [{ name: 'files.write_file', arguments: { path: join(workspace, 'a.txt'), content: 'one' } }] },
  { calls: [{ name: 'files.read_text_file', arguments: { path: join(workspace, 'a.txt') } }] },
  { calls: [{ name: 'files.write_file', arguments: { path: join(workspace, 'b.txt'), content: 'two' } }] },
  { text: 'Done.' },
];

describe('"trustedOutput": true on a sandboxed stdio server', () => {
  it('keeps its output from tainting: "Allow for this conversation" still holds after it answered', async () => {
    const { gate, result, sources, status } = await start({ trustedOutput: true }, writeReadWrite);
    expect(status, status.error ?? '').toMatchObject({ state: 'connected', sandboxed: true, outputTrusted: true, outputTrustNote: null });
    expect(result.toolCalls.map((c) => [c.toolName, c.status, c.decision?.ruleId])).toEqual([
      ['files.write_file', 'succeeded', expect.any(String)],
      ['files.read_text_file', 'succeeded', 'default.read-only'],
      ['files.write_file', 'succeeded', 'conversation.allowed'],
    ]);
    expect(gate.asked.map((request) => request.toolName)).toEqual(['files.write_file']);
    expect(sources).toEqual([]);
  }, 60_000);

  it('without it, the server\'s output taints as before, and the second write asks again', async () => {
    const { gate, result, sources, status } = await start({}, writeReadWrite);
    expect(status).toMatchObject({ outputTrusted: false, outputTrustNote: null });
    expect(result.toolCalls.map((c) => c.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(gate.asked.map((request) => [request.toolName, request.taint?.length ?? 0])).toEqual([
      ['files.write_file', 0],
      ['files.write_file', 2],
    ]);
    expect(sources).toContain('output of files.read_text_file on files, a server Portcullis does not control');
  }, 60_000);

  it('still taints a call that reached the web: a URL in its arguments', async () => {
    const { gate, sources } = await start({ trustedOutput: true }, (workspace) => [
      { calls: [{ name: 'files.write_file', arguments: { path: join(workspace, 'a.txt'), content: 'one' } }] },
      { calls: [{ name: 'files.search_files', arguments: { path: workspace, pattern: 'https://evil.example.com/x' } }] },
      { calls: [{ name: 'files.write_file', arguments: { path: join(workspace, 'b.txt'), content: 'two' } }] },
      { text: 'Done.' },
    ]);
    expect(sources).toEqual(['web content from evil.example.com (via files.search_files)']);
    expect(gate.asked.map((request) => request.toolName)).toEqual(['files.write_file', 'files.write_file']);
  }, 60_000);

  it('still taints a file read from outside the trusted folders', async () => {
    const { sources } = await start({ trustedOutput: true, args: ['/etc'] }, () => [
      { calls: [{ name: 'files.read_text_file', arguments: { path: '/etc/hostname' } }] },
      { text: 'Done.' },
    ]);
    expect(sources).toEqual(['a file outside the trusted folders: /etc/hostname (via files.read_text_file)']);
  }, 60_000);

  it('is not used for an unsandboxed server: its row says why, and its output taints', async () => {
    const { sources, status } = await start({ trustedOutput: true, sandbox: false }, (workspace) => [
      { calls: [{ name: 'files.read_text_file', arguments: { path: join(workspace, 'missing.txt') } }] },
      { text: 'Done.' },
    ]);
    expect(status).toMatchObject({ sandboxed: false, outputTrusted: false });
    expect(status.outputTrustNote).toBe('"trustedOutput" is not used: files runs outside Portcullis\' sandbox, so what it says could come from anywhere, and its tools\' output still marks the conversation as holding untrusted content.');
    expect(sources).toEqual(['output of files.read_text_file on files, a server Portcullis does not control']);
  }, 60_000);
});

describe('"trustedOutput": true on a closed server with a tool that says it reaches out (openWorldHint: true)', () => {
  it('still taints for that tool, not for the others, and its row and `tools list --json` name it', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), trustedOutput: true, maxRetries: 0 } });
    const model = new ScriptedModel([
      { calls: [{ name: 'everything.echo', arguments: { message: 'hi' } }] },
      { calls: [{ name: 'everything.gzip-file-as-resource', arguments: { name: 'a.gz', data: 'data:text/plain;base64,aGk=' } }] },
      { text: 'Done.' },
    ]);
    const t = startTestRuntime({ dataDir, model, approvalGate: new AllowForConversationGate() });
    await t.runtime.mcp.settled();
    const { servers } = await t.runtime.handlers['tools.catalog']({});
    const status = servers.find((s) => s.name === 'everything')!;
    expect(status, status.error ?? '').toMatchObject({ state: 'connected', sandboxed: true, sandboxGrants: expect.objectContaining({ offline: true }), outputTrusted: true });
    expect(status.outputTrustNote).toBe(
      '"trustedOutput" is not used for gzip-file-as-resource, trigger-sampling-request: they say they reach outside your computer (openWorldHint): what they return could be text from there, so their output still marks the conversation as holding untrusted content.',
    );
    const conversation = await t.runtime.handlers['conversations.create']({});
    expect((await t.runtime.startTurn(conversation.id, 'echo, then gzip').done).toolCalls.map((c) => [c.toolName, c.status])).toEqual([
      ['everything.echo', 'succeeded'],
      ['everything.gzip-file-as-resource', 'succeeded'],
    ]);
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const sources = db.prepare('SELECT DISTINCT description FROM taint_sources').pluck().all();
    db.close();
    expect(sources).toEqual(['output of everything.gzip-file-as-resource on everything, a server Portcullis does not control']);
  }, 60_000);
});

describe('"trustedOutput": true on a remote server', () => {
  it('is not used: its row and `tools list --json` say why, and its output taints', async () => {
    const remote = await startRecordingHttpMcpServer();
    onTestFinished(() => remote.close());
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { remote: { url: remote.url, trustedOutput: true } });
    const model = new ScriptedModel([{ calls: [{ name: 'remote.shout', arguments: { message: 'hi' } }] }, { text: 'Done.' }]);
    const gate = new AllowForConversationGate();
    const t = startTestRuntime({ dataDir, model, approvalGate: gate });
    await t.runtime.mcp.settled();
    const { servers } = await t.runtime.handlers['tools.catalog']({});
    expect(servers.find((s) => s.name === 'remote')).toMatchObject({
      state: 'connected',
      outputTrusted: false,
      outputTrustNote: '"trustedOutput" is not used for a remote server: remote\'s words come from a computer Portcullis does not control, so its tools\' output still marks the conversation as holding untrusted content.',
    });
    const conversation = await t.runtime.handlers['conversations.create']({});
    expect((await t.runtime.startTurn(conversation.id, 'shout').done).toolCalls.map((c) => c.status)).toEqual(['succeeded']);
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const sources = db.prepare('SELECT DISTINCT description FROM taint_sources').pluck().all();
    db.close();
    expect(sources).toEqual(['output of remote.shout on remote, a server Portcullis does not control']);
  }, 60_000);
});

describe('"trustedOutput" turned on or off by a save on the Tools & servers page', () => {
  it('is recorded on the audit chain as a grant, once, and holds for the restarted server', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const files = { command: mcpBin('filesystem'), args: [workspace] };
    writeMcpConfig(dataDir, { files });
    const t = startTestRuntime({ dataDir, workspace, approvalGate: new AllowForConversationGate() });
    await t.runtime.mcp.settled();
    const save = (entry: Record<string, unknown>) => t.runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify({ mcpServers: { files: entry } }) });
    expect((await save({ ...files, trustedOutput: true })).saved).toBe(true);
    expect((await save({ ...files, trustedOutput: true, timeoutMs: 20_000 })).saved).toBe(true); // already on: not again
    await t.runtime.mcp.settled();
    expect(t.runtime.mcp.status().find((s) => s.name === 'files')).toMatchObject({ state: 'connected', outputTrusted: true });
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const granted = db.prepare("SELECT data_json FROM audit_log WHERE kind = 'sandbox.granted'").pluck().all() as string[];
    db.close();
    expect(granted.map((data) => JSON.parse(data))).toEqual([{ server: 'files', trustedOutput: true }]);
    expect((await t.runtime.handlers['audit.verify']({})).ok).toBe(true);
  }, 60_000);

  it('turned off again is recorded too, once, so the chain says when the trust held', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    const files = { command: mcpBin('filesystem'), args: [workspace] };
    writeMcpConfig(dataDir, { files: { ...files, trustedOutput: true } });
    const t = startTestRuntime({ dataDir, workspace, approvalGate: new AllowForConversationGate() });
    await t.runtime.mcp.settled();
    const save = (entry: Record<string, unknown>) => t.runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify({ mcpServers: { files: entry } }) });
    expect((await save({ ...files, trustedOutput: false })).saved).toBe(true);
    expect((await save({ ...files, timeoutMs: 20_000 })).saved).toBe(true); // already off: not again
    expect((await save({ ...files, trustedOutput: true })).saved).toBe(true);
    expect((await save(files)).saved).toBe(true); // the field left out is off as well
    await t.runtime.mcp.settled();
    expect(t.runtime.mcp.status().find((s) => s.name === 'files')).toMatchObject({ state: 'connected', outputTrusted: false });
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const changes = db.prepare("SELECT kind, data_json FROM audit_log WHERE kind LIKE 'sandbox.%' ORDER BY seq").all() as { kind: string; data_json: string }[];
    db.close();
    expect(changes.map((row) => [row.kind, JSON.parse(row.data_json)])).toEqual([
      ['sandbox.revoked', { server: 'files', trustedOutput: false }],
      ['sandbox.granted', { server: 'files', trustedOutput: true }],
      ['sandbox.revoked', { server: 'files', trustedOutput: false }],
    ]);
    expect((await t.runtime.handlers['audit.verify']({})).ok).toBe(true);
  }, 60_000);
});
