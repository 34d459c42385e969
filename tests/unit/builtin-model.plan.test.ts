import { describe, expect, it } from 'vitest';
import { BuiltinModel, BUILTIN_MODEL_HELP } from '../../src/core/model/builtin/builtin-model';
import { describeToolResult } from '../../src/core/model/builtin/result-description';
import { denialMessage } from '../../src/shared/tool-call-words';
import type { ModelChunk, ModelRequest } from '../../src/core/model/model-provider';
import { directCallExample } from '../../src/core/router/direct-call';
import { fenceUntrusted } from '../../src/core/taint/untrusted-fence';
import { toolResultText } from '../../src/core/orchestrator/tool-result-for-model';

const tools = ['fs.list', 'fs.read', 'fs.write'].map((name) => ({ name, description: name, inputSchema: {} }));

async function answer(text: string, offered = tools): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  const request: ModelRequest = { messages: [{ role: 'user', content: text }], tools: offered };
  for await (const chunk of new BuiltinModel().stream(request)) chunks.push(chunk);
  return chunks;
}

const textOf = (chunks: ModelChunk[]) => chunks.map((c) => (c.type === 'text-delta' ? c.text : '')).join('');

describe('built-in model: intent and slots → a tool plan', () => {
  it.each([
    ['List the files in my workspace', 'fs.list', { path: '.' }],
    ['read notes.md', 'fs.read', { path: 'notes.md' }],
    ['create notes/a.md containing # Title', 'fs.write', { path: 'notes/a.md', content: '# Title' }],
  ])('%j → %s %j', async (text, name, args) => {
    expect((await answer(text)).filter((c) => c.type === 'tool-call')).toMatchObject([{ name, arguments: args }]);
  });

  it('says honestly what it cannot do', async () => {
    const chunks = await answer('what is the capital of France?');
    expect(chunks.some((c) => c.type === 'tool-call')).toBe(false);
    expect(textOf(chunks)).toBe(BUILTIN_MODEL_HELP);
  });

  it('asks for a missing slot instead of guessing', async () => {
    const chunks = await answer('delete the file please');
    expect(chunks.some((c) => c.type === 'tool-call')).toBe(false);
    expect(textOf(chunks)).toMatch(/could not tell/);
  });

  it('deletes a folder of the workspace named bare ("delete reports") instead of asking which', async () => {
    const offered = [...tools, { name: 'fs.delete', description: 'fs.delete', inputSchema: {} }];
    const request: ModelRequest = { messages: [{ role: 'user', content: 'delete reports' }], tools: offered, workspaceHas: (name) => name === 'reports' };
    const chunks: ModelChunk[] = [];
    for await (const chunk of new BuiltinModel().stream(request)) chunks.push(chunk);
    expect(chunks.filter((c) => c.type === 'tool-call')).toMatchObject([{ name: 'fs.delete', arguments: { path: 'reports' } }]);
  });

  it('reads a file whose name has spaces, named unquoted as the workspace has it ("read my notes.md")', async () => {
    const request: ModelRequest = { messages: [{ role: 'user', content: 'read my notes.md' }], tools, workspaceHas: (name) => name === 'my notes.md' };
    const chunks: ModelChunk[] = [];
    for await (const chunk of new BuiltinModel().stream(request)) chunks.push(chunk);
    expect(chunks.filter((c) => c.type === 'tool-call')).toMatchObject([{ name: 'fs.read', arguments: { path: 'my notes.md' } }]);
  });

  it('names the missing slot in a sentence that reads ("what to look for", not "the what to look for")', async () => {
    expect(textOf(await answer('search for'))).toBe('I understood that you want to find files, or text inside files, in the workspace, but I could not tell what to look for. Could you say it again with that?');
    expect(textOf(await answer('delete the file please'))).toMatch(/could not tell the file or folder to delete\./);
  });

  it('names the tool it would need when the conversation does not offer it', async () => {
    expect(textOf(await answer('fetch https://example.com'))).toContain('http.fetch');
  });

  it.each([
    ['everything.echo {"message": "hi"}', { message: 'hi' }],
    ['/everything.echo {"message": "hi", "n": [1, 2]}', { message: 'hi', n: [1, 2] }],
    ['  everything.echo  ', {}],
  ])('a tool named with JSON arguments, %j, is called exactly so', async (text, args) => {
    const offered = [...tools, { name: 'everything.echo', description: 'echo', inputSchema: {} }];
    expect((await answer(text, offered)).filter((c) => c.type === 'tool-call')).toEqual([{ type: 'tool-call', id: expect.any(String), name: 'everything.echo', arguments: args }]);
  });

  it.each([
    ['fs.read notes.md', /not valid JSON/],
    ['fs.read ["notes.md"]', /must be one JSON object/],
    ['fs.delete {"path": "notes.md"}', /There is no tool named fs\.delete here/],
  ])('arguments that are not one JSON object, %j, get a sentence instead of a call', async (text, said) => {
    const chunks = await answer(text);
    expect(chunks.some((c) => c.type === 'tool-call')).toBe(false);
    expect(textOf(chunks)).toMatch(said);
  });

  it.each([
    ['everythin.echo {"message": "hi"}', 'There is no tool named everythin.echo here. Did you mean everything.echo?'],
    ['Everything.Echo {"message": "hi"}', 'There is no tool named Everything.Echo here. Did you mean everything.echo?'],
    ['everything.ech0 {}', 'There is no tool named everything.ech0 here. Did you mean everything.echo?'],
    ['evrything.ehco {}', 'There is no tool named evrything.ehco here. Did you mean everything.echo?'],
    ['evrythng.ehco {}', 'There is no tool named evrythng.ehco here: the Tools & servers page lists every tool.'],
  ])('a mistyped tool name, %j, offers the nearest one (within two letters), never calls it', async (text, said) => {
    const offered = [...tools, { name: 'everything.echo', description: 'echo', inputSchema: {} }, { name: 'everything.add', description: 'add', inputSchema: {} }];
    const chunks = await answer(text, offered);
    expect(chunks.some((c) => c.type === 'tool-call')).toBe(false);
    expect(textOf(chunks)).toBe(said);
  });

  it('a dotted word that is no offered tool is left to the intent router', async () => {
    expect((await answer('read notes.md')).filter((c) => c.type === 'tool-call')).toMatchObject([{ name: 'fs.read', arguments: { path: 'notes.md' } }]);
    const unoffered = (await answer('everything.echo {"message": "hi"}')).filter((c) => c.type === 'tool-call');
    expect(unoffered.map((c) => c.type === 'tool-call' && c.name)).not.toContain('everything.echo');
  });
});

describe('built-in model: describing a result', () => {
  it("shows an MCP tool's fenced result as its text, with a line for an image, and says it is untrusted", () => {
    const result = { content: [{ type: 'text', text: 'Echo: <b>hi</b>' }, { type: 'image', mimeType: 'image/png', data: 'A'.repeat(4096) }] };
    const content = fenceUntrusted(toolResultText(result), 'output of everything.echo', 'call-1');
    expect(describeToolResult({ role: 'tool', toolCallId: 'call-1', toolName: 'everything.echo', content, isError: false })).toBe(
      'everything.echo returned this, which Portcullis treats as untrusted:\n\n```\nEcho: <b>hi</b>\n[image: image/png, 3 KB; shown to the person in the chat, not sent to the model]\n```',
    );
  });

  it('tells the person who refused a call what they did, in the second person, and why a rule refused one', () => {
    const refused = (code: string, message: string) => describeToolResult({ role: 'tool', toolCallId: 'c', toolName: 'fs.write', content: JSON.stringify({ code, message }), isError: true });
    expect(refused('APPROVAL_REJECTED', denialMessage('fs.write'))).toBe('You denied fs.write, so nothing was done.');
    expect(refused('APPROVAL_REJECTED', denialMessage('fs.write', 'not today'))).toBe('You denied fs.write, so nothing was done. Your note: “not today”');
    // Denied by a key or a script's --approve: said as theirs, not "You denied".
    expect(refused('APPROVAL_REJECTED', denialMessage('fs.write', 'too risky', 'api: key "nightly"'))).toBe('fs.write was denied by key "nightly", a program allowed to answer approvals, not by a person, so nothing was done. Note: “too risky”');
    expect(refused('APPROVAL_REJECTED', denialMessage('fs.write', undefined, 'script: --approve none'))).toBe("fs.write was denied by the script's --approve option, not by a person, so nothing was done.");
    expect(refused('APPROVAL_TIMEOUT', 'No one approved fs.write in time, so it was denied.')).toBe('No one answered the request to run fs.write in time, so it was denied and nothing was done.');
    expect(refused('POLICY_DENIED', 'Denied by policy rule deny.secrets: r')).toBe('The fs.write call was denied, so nothing was done. Denied by policy rule deny.secrets: r');
  });

  it("says a tool's failure once, not \"The http.fetch call failed: http.fetch failed: …\"", () => {
    const failed = describeToolResult({ role: 'tool', toolCallId: 'c', toolName: 'http.fetch', content: JSON.stringify({ code: 'TOOL_FAILED', message: 'http.fetch failed: no such host was found' }), isError: true });
    expect(failed).toBe('The http.fetch call failed: no such host was found');
  });
});

describe('a direct call to fill in', () => {
  it('names the tool and gives its required arguments an empty value of their type', () => {
    const schema = { type: 'object', properties: { message: { type: 'string' }, n: { type: 'integer' }, tags: { type: 'array' }, note: { type: 'string' }, any: {} }, required: ['message', 'n', 'tags', 'any'] };
    expect(directCallExample('everything.echo', schema)).toBe('everything.echo {"message":"","n":0,"tags":[],"any":null}');
    expect(directCallExample('fs.list', { type: 'object', properties: { path: { type: 'string' } } })).toBe('fs.list');
  });
});
