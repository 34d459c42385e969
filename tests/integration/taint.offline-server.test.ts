import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { ScriptedModel } from '../helpers/scripted-model';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

// Its tools say only `readOnlyHint: true`, as many real servers' do: by MCP's default they are open-world.
const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');

describe('a read-only tool whose sandbox lets it reach nothing outside the computer', () => {
  it('runs unasked in a tainted conversation, where the same tool of a server granted a domain asks', async () => {
    const dataDir = tempDir();
    const server = { command: process.execPath, args: [escapeServer], maxRetries: 0 };
    writeMcpConfig(dataDir, {
      sealed: server, // the default profile: no domain, no folder
      reaching: { ...server, sandbox: { allowWrite: [], allowedDomains: ['api.example.com'] } },
    });
    const model = new ScriptedModel([
      { calls: [{ name: 'sealed.echo', arguments: {} }] }, // a server's words: the conversation is tainted from here on
      { calls: [{ name: 'sealed.echo', arguments: {} }, { name: 'reaching.echo', arguments: {} }] },
      { text: 'Done.' },
    ]);
    const t = startTestRuntime({ dataDir, model, approvalGate: new FixedApprovalGate('none') });
    await t.runtime.mcp.settled();
    const status = (name: string) => t.runtime.mcp.status().find((s) => s.name === name)!;
    expect(status('sealed'), status('sealed').error ?? '').toMatchObject({ state: 'connected', sandboxed: true, sandboxGrants: { domains: [], offline: true } });
    expect(status('reaching').sandboxGrants).toMatchObject({ domains: ['api.example.com'], offline: false });
    const catalog = await t.runtime.handlers['tools.catalog']({});
    const offline = Object.fromEntries(catalog.tools.filter((tool) => tool.name.endsWith('.echo')).map((tool) => [tool.name, tool.offline]));
    expect(offline).toEqual({ 'sealed.echo': true, 'reaching.echo': false });

    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'echo twice').done;
    expect(result.toolCalls.map((c) => [c.toolName, c.status, c.decision?.ruleId])).toEqual([
      ['sealed.echo', 'succeeded', 'default.read-only'],
      ['sealed.echo', 'succeeded', 'default.read-only'],
      ['reaching.echo', 'denied', 'taint.override'],
    ]);
    // Its output is still a server's words (the conversation stays tainted), not content from outside the computer.
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const sources = db.prepare('SELECT DISTINCT description FROM taint_sources').pluck().all();
    db.close();
    expect(sources).toEqual(['output of sealed.echo on sealed, a server Portcullis does not control']);

    // `policy explain` judges it as the gateway does.
    const explained = await t.runtime.handlers['policy.explain']({ tool: 'sealed.echo', arguments: {}, tainted: true });
    expect(explained).toMatchObject({ classes: ['read-only'], decision: { effect: 'allow', ruleId: 'default.read-only' } });
    expect(await t.runtime.handlers['policy.explain']({ tool: 'reaching.echo', arguments: {}, tainted: true })).toMatchObject({ classes: ['read-only', 'open-world'], decision: { effect: 'ask' } });
  }, 60_000);
});
