import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { chaosServer, mcpBin, MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const CANARY = 'canary-prompt-secret-5e0b';

/** A chaos server offering prompts in `mode`, logging each prompts/list it answers to `<name>.log`. */
const promptServer = (dataDir: string, name: string, mode: string) => ({
  [name]: { command: process.execPath, args: [chaosServer, '--prompts', mode, '--log', join(dataDir, `${name}.log`)], sandbox: false },
});
const listsAnswered = (dataDir: string, name: string): number => {
  const file = join(dataDir, `${name}.log`);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line === 'prompts listed').length : 0;
};

describe("MCP servers' prompts and resources, for the composer (real servers over stdio)", () => {
  it("lists every connected server's prompts and fills one in as the text of a message", async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, {
      everything: { command: mcpBin('everything') },
      memory: { command: mcpBin('memory') }, // offers no prompts
    });
    const { runtime } = startTestRuntime({ dataDir });
    await runtime.mcp.settled();

    // The servers say what they offer beside tools (the Tools & servers page shows it).
    expect(runtime.mcp.status().map(({ name, offers }) => ({ name, offers }))).toEqual([
      { name: 'everything', offers: ['prompts', 'resources'] },
      { name: 'memory', offers: ['resources'] }, // no prompts
    ]);
    // What a server says about how to use it is kept for the person (the model is not given it); none said, none kept.
    expect(runtime.mcp.status().map(({ instructions }) => instructions?.split('\n')[0] ?? null)).toEqual(['# Everything Server – Server Instructions', null]);
    const { prompts, problems } = await runtime.handlers['prompts.list']({});
    expect(problems).toEqual([]);
    expect(prompts.every((p) => p.server === 'everything')).toBe(true);
    expect(prompts.find((p) => p.name === 'args-prompt')).toEqual({
      server: 'everything',
      name: 'args-prompt',
      title: 'Arguments Prompt',
      description: 'A prompt with two arguments, one required and one optional',
      arguments: [
        { name: 'city', description: 'Name of the city', required: true },
        { name: 'state', required: false }, // its describe() is lost to optional() in the server's schema
      ],
      completes: true,
    });

    const get = (name: string, args: Record<string, string>) => runtime.handlers['prompts.get']({ server: 'everything', name, arguments: args });
    expect(await get('args-prompt', { city: 'Lyon', state: 'Rhône' })).toEqual({ text: "What's weather in Lyon, Rhône?" });
    // An embedded resource comes with its URI and its text.
    expect((await get('resource-prompt', { resourceType: 'Text', resourceId: '2' })).text).toMatch(
      /^This prompt includes the Text resource with id: 2\. Please analyze the following resource:\n\n\[resource demo:\/\/resource\/dynamic\/text\/2 \(text\/plain\)\]\nResource 2: This is a plaintext resource/,
    );
    // The server's refusal, in its words; a server that is not configured, said so.
    await expect(get('resource-prompt', { resourceType: 'Video', resourceId: '1' })).rejects.toMatchObject({ code: 'TOOL_FAILED', message: expect.stringMatching(/^The everything server could not give its prompt resource-prompt: .*Invalid resourceType: Video/) });
    await expect(runtime.handlers['prompts.get']({ server: 'nowhere', name: 'x', arguments: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // Values the server suggests for an argument, from what was typed.
    const complete = (argument: string, value: string) => runtime.handlers['prompts.complete']({ server: 'everything', name: 'resource-prompt', argument, value, arguments: {} });
    expect(await complete('resourceType', 'T')).toEqual({ values: ['Text'] });
    expect(await complete('resourceType', '')).toEqual({ values: ['Text', 'Blob'] });
    expect(await complete('resourceType', 'Video')).toEqual({ values: [] });
  });

  it("a message sent with a prompt's text marks its conversation as holding the server's words: what could send data out asks from then on", async () => {
    const dataDir = tempDir();
    // Granted a domain, its reads could carry data out (one that can reach nothing outside runs unasked).
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), sandbox: { allowWrite: [], allowedDomains: ['api.example.com'] } } });
    const { runtime } = startTestRuntime({ dataDir });
    await runtime.mcp.settled();
    const { text } = await runtime.handlers['prompts.get']({ server: 'everything', name: 'simple-prompt', arguments: {} });
    // Reading a resource runs without asking, unless the conversation holds untrusted words (a URI can carry data out).
    const explainRead = (conversationId: string) => runtime.handlers['policy.explain']({ tool: 'everything.read_resource', arguments: { uri: 'demo://resource/dynamic/text/1' }, conversationId });

    const typed = await runtime.handlers['conversations.create']({});
    await runtime.startTurn(typed.id, text).done; // the same words, typed by the person
    expect((await explainRead(typed.id)).decision.effect).toBe('allow');

    const prompted = await runtime.handlers['conversations.create']({});
    const sent = await runtime.handlers['chat.send']({ conversationId: prompted.id, text, prompt: { server: 'everything', name: 'simple-prompt' } });
    expect((await explainRead(prompted.id)).decision).toMatchObject({ effect: 'ask', ruleId: 'taint.override', reason: expect.stringContaining("the everything server's prompt simple-prompt") });
    expect(sent.userMessageId).toBeTruthy();
  });

  it('waits for a server still starting, within the list\'s 5 s', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { late: { command: process.execPath, args: [chaosServer, '--prompts', 'leaky', '--start-delay', '1500'], sandbox: false } });
    const { runtime } = startTestRuntime({ dataDir });
    expect(runtime.mcp.status()[0]!.state).toBe('starting');
    const { prompts, problems } = await runtime.handlers['prompts.list']({});
    expect({ names: prompts.map((p) => `${p.server}/${p.name}`), problems }).toEqual({ names: ['late/leaky'], problems: [] });
  });

  it("cleans a server's words (its secrets hidden, terminal escapes gone), and names a server that does not answer without holding up the rest", async () => {
    const dataDir = tempDir();
    const secrets = new MemorySecretStore();
    await secrets.set('CHAOS_TOKEN', CANARY);
    writeMcpConfig(dataDir, {
      leaky: { command: process.execPath, args: [chaosServer, '--prompts', 'leaky'], sandbox: false, env: { CHAOS_TOKEN: 'secret:CHAOS_TOKEN' } },
      stuck: { command: process.execPath, args: [chaosServer, '--prompts', 'hang'], sandbox: false },
    });
    const { runtime } = startTestRuntime({ dataDir, secretStore: secrets });
    await runtime.mcp.settled();

    const started = Date.now();
    const { prompts, problems } = await runtime.handlers['prompts.list']({});
    expect(Date.now() - started).toBeLessThan(15_000); // the stuck server's 5 s, not forever
    expect(problems).toEqual(['The stuck server did not list its prompts: no answer in 5 s.']);
    expect(prompts).toEqual([{ server: 'leaky', name: 'leaky', description: 'Repeats its token [redacted]', arguments: [{ name: 'topic', required: true }], completes: false }]);
    // A server that does not complete suggests nothing, and is not asked.
    expect(await runtime.handlers['prompts.complete']({ server: 'leaky', name: 'leaky', argument: 'topic', value: 'g', arguments: {} })).toEqual({ values: [] });

    const { text } = await runtime.handlers['prompts.get']({ server: 'leaky', name: 'leaky', arguments: { topic: 'gateways' } });
    expect(text).toBe('User: Tell me about gateways.\n\nAssistant: The token is [redacted].\n\nUser: [image: image/png, 3 B; left out of the message]');
    expect(JSON.stringify(prompts) + text).not.toContain(CANARY);
    // Its instructions, shown on the Tools & servers page, are cleaned the same way.
    expect(runtime.mcp.status().find((s) => s.name === 'leaky')?.instructions).toBe('Call echo first. The token is [redacted].');
    // A prompt or a resource asked for by a name or URI that holds the secret is left out; a name shown only is hidden.
    const { resources } = await runtime.handlers['resources.list']({});
    expect(resources.map(({ uri, name }) => ({ uri, name }))).toEqual([{ uri: 'file:///leaky/readme.md', name: 'readme for [redacted]' }]);
    expect(JSON.stringify(resources)).not.toContain(CANARY);
  }, 30_000);

  it("keeps each server's list: asked again only when it says the list changed, or behind the kept one when it never says", async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { ...promptServer(dataDir, 'announcing', 'counting'), ...promptServer(dataDir, 'quiet', 'counting-quiet') });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const names = async () => (await runtime.handlers['prompts.list']({})).prompts.map((p) => `${p.server}/${p.name}`);

    expect(await names()).toEqual(['announcing/take-1', 'quiet/take-1']);
    // Asked again at once: the announcing server is not asked; the quiet one answers from its last list and is asked behind.
    expect(await names()).toEqual(['announcing/take-1', 'quiet/take-1']);
    expect(await until('the quiet server asked again behind', names, (shown) => shown.includes('quiet/take-2'))).toContain('announcing/take-1');
    expect(listsAnswered(dataDir, 'announcing')).toBe(1);

    // The announcing server says its list changed: the next list asks it, and shows what it says now.
    expect((await runtime.callTool('announcing.prompts_changed', {})).record.status).toBe('succeeded');
    await until('the changed list shown', names, (shown) => shown.includes('announcing/take-2'));
    expect(listsAnswered(dataDir, 'announcing')).toBe(2);

    // A restarted server is asked afresh.
    await runtime.handlers['tools.controlServer']({ name: 'announcing', action: 'restart' });
    await runtime.mcp.settled();
    expect(await names()).toContain('announcing/take-1'); // a new process counts from 1
  }, 30_000);

  it('a server that does not answer its list costs 5 s once: opened again meanwhile, it is named at once and not asked again', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { ...promptServer(dataDir, 'stuck', 'hang'), everything: { command: mcpBin('everything') } });
    const { runtime } = startTestRuntime({ dataDir });
    await runtime.mcp.settled();

    const first = await runtime.handlers['prompts.list']({});
    expect(first.problems).toEqual(['The stuck server did not list its prompts: no answer in 5 s.']);
    const started = Date.now();
    const again = await runtime.handlers['prompts.list']({});
    const waited = Date.now() - started;
    expect(again.problems).toEqual([expect.stringMatching(/^The stuck server did not list its prompts: no answer in [5-9] s\.$/)]);
    expect(again.prompts.some((p) => p.server === 'everything')).toBe(true);
    expect(waited).toBeLessThan(2_500); // not another 5 s (a bound, not a benchmark)
    expect(listsAnswered(dataDir, 'stuck')).toBe(1); // its one request is still out; it was not asked again
  }, 30_000);

  it("lists the servers' resources and reads one as a message's text; sent with it, the conversation holds the server's words", async () => {
    const dataDir = tempDir();
    const reaching = { allowWrite: [], allowedDomains: ['api.example.com'] }; // its reads could carry data out
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything'), sandbox: reaching }, memory: { command: mcpBin('memory') } });
    const { runtime } = startTestRuntime({ dataDir });
    await runtime.mcp.settled();

    const { resources, problems } = await runtime.handlers['resources.list']({});
    expect(problems).toEqual([]);
    expect(resources.find((r) => r.name === 'architecture.md')).toEqual({
      server: 'everything',
      uri: 'demo://resource/static/document/architecture.md',
      name: 'architecture.md',
      description: 'Static document file exposed from /docs: architecture.md',
      mimeType: 'text/markdown',
    });
    const { text } = await runtime.handlers['resources.read']({ server: 'everything', uri: 'demo://resource/static/document/architecture.md' });
    expect(text).toMatch(/^\[resource demo:\/\/resource\/static\/document\/architecture\.md \(text\/markdown\)\]\n# Everything Server – Architecture\n/);
    await expect(runtime.handlers['resources.read']({ server: 'everything', uri: 'demo://nowhere' })).rejects.toMatchObject({ code: 'TOOL_FAILED', message: expect.stringMatching(/^The everything server could not give its resource demo:\/\/nowhere: /) });

    const conversation = await runtime.handlers['conversations.create']({});
    const second = 'demo://resource/static/document/extension.md';
    await runtime.handlers['chat.send']({
      conversationId: conversation.id,
      text,
      resources: [{ server: 'everything', uri: 'demo://resource/static/document/architecture.md' }, { server: 'everything', uri: second }],
    });
    // The chat is named after the resource, not its header line.
    expect((await runtime.handlers['conversations.list']({})).find((c) => c.id === conversation.id)?.title).toBe('architecture.md');
    const explained = await runtime.handlers['policy.explain']({ tool: 'everything.read_resource', arguments: { uri: 'demo://resource/dynamic/text/1' }, conversationId: conversation.id });
    expect(explained.decision).toMatchObject({ effect: 'ask', ruleId: 'taint.override', reason: expect.stringContaining("the everything server's resource demo://resource/static/document/architecture.md") });
    // Each resource the message held is named: one put in at the cursor with @ counts as much as one picked from /.
    expect(explained.decision.reason).toContain(`the everything server's resource ${second}`);
  });
});
