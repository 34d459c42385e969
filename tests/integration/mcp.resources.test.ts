import { describe, expect, it } from 'vitest';
import { chaosServer, mcpBin, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

type Part = { type: string; text?: string; uri?: string; name?: string; resource?: { uri: string; text?: string; mimeType?: string } };
const partsOf = (result: unknown): Part[] => (result as { content: Part[] }).content;

async function start(mcpServers: Record<string, unknown>) {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, mcpServers);
  const t = startTestRuntime({ dataDir });
  await t.runtime.mcp.settled();
  return t;
}

describe('a server’s resources, reached through two governed tools of that server (server-everything over real stdio)', () => {
  it('lists the resources and templates, and reads one named by a resource link, each call allowed as a read and traced as its MCP method', async () => {
    const { runtime } = await start({ everything: { command: mcpBin('everything') }, chaos: { command: process.execPath, args: [chaosServer] } });
    const tools = new Map(runtime.listTools().map((tool) => [tool.name, tool]));
    expect(tools.get('everything.read_resource')).toMatchObject({ server: 'everything', sandboxed: true, remoteName: 'resources/read', annotations: { readOnlyHint: true, idempotentHint: true } });
    expect(tools.get('everything.list_resources')?.inputSchema).toMatchObject({ properties: { cursor: { type: 'string' } } });
    // A server without resources gets no such tools.
    expect([...tools.keys()].filter((name) => name.startsWith('chaos.') && name.endsWith('_resource'))).toEqual([]);
    expect(tools.has('chaos.list_resources')).toBe(false);

    const listed = await runtime.callTool('everything.list_resources', {});
    expect(listed.record).toMatchObject({ status: 'succeeded', untrusted: true, decision: { effect: 'allow', ruleId: 'default.read-only' } });
    const parts = partsOf(listed.record.result);
    expect(parts[0]!.text).toMatch(/^\d+ resources of the server\.$/);
    expect(parts.filter((p) => p.type === 'resource_link').map((p) => p.uri)).toContain('demo://resource/static/document/architecture.md');
    expect(parts.some((p) => p.text?.startsWith('[resource template: demo://resource/dynamic/text/{resourceId}'))).toBe(true);

    // A link another tool returned is now something the model can follow.
    const links = await runtime.callTool('everything.get-resource-links', { count: 2 });
    const link = partsOf(links.record.result).find((p) => p.type === 'resource_link')!;
    const read = await runtime.callTool('everything.read_resource', { uri: link.uri });
    expect(read.record.status).toBe('succeeded');
    expect(partsOf(read.record.result)).toEqual([{ type: 'resource', resource: expect.objectContaining({ uri: link.uri }) }]);

    const text = await runtime.callTool('everything.read_resource', { uri: 'demo://resource/dynamic/text/7' });
    expect(partsOf(text.record.result)[0]!.resource).toMatchObject({ mimeType: 'text/plain', text: expect.stringContaining('Resource 7') });
    const spans = await runtime.handlers['traces.spans']({ traceId: text.traceId });
    expect(spans.find((s) => s.kind === 'mcp')).toMatchObject({ name: 'resources/read', attributes: { 'mcp.method.name': 'resources/read', 'portcullis.mcp.server': 'everything' } });
  });

  it('a URI the server does not know, or arguments that do not fit, are clear tool errors that leave the server serving', async () => {
    const { runtime } = await start({ everything: { command: mcpBin('everything') } });
    const missing = await runtime.callTool('everything.read_resource', { uri: 'demo://nothing/here' });
    expect(missing.record).toMatchObject({ status: 'failed', error: { code: 'TOOL_FAILED', message: expect.stringMatching(/^everything\.read_resource failed on the everything server: .*not found/) } });
    const invalid = await runtime.callTool('everything.read_resource', { url: 'demo://resource/dynamic/text/1' });
    expect(invalid.record).toMatchObject({ status: 'failed', error: { code: 'TOOL_ARGUMENTS_INVALID' } });
    expect(runtime.mcp.status()[0]).toMatchObject({ state: 'connected', breaker: 'closed' });
    expect((await runtime.callTool('everything.read_resource', { uri: 'demo://resource/dynamic/text/1' })).record.status).toBe('succeeded');
  });

  it('are Portcullis’ own definitions: not pinned as the server’s, and turned off by their method name like any tool', async () => {
    const { runtime } = await start({ everything: { command: mcpBin('everything'), disabledTools: ['resources/list'] } });
    expect(runtime.mcp.approvedDefinition('everything.echo')).toBeDefined();
    expect(runtime.mcp.approvedDefinition('everything.read_resource')).toBeUndefined();
    const offered = runtime.listTools().map((tool) => tool.name);
    expect(offered).toContain('everything.read_resource');
    expect(offered).not.toContain('everything.list_resources');
    expect(runtime.mcp.turnedOff().map((tool) => tool.name)).toEqual(['everything.list_resources']);
  });
});
