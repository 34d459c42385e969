import { describe, expect, it } from 'vitest';
import { chunk, startFakeOpenAiServer } from '../helpers/fake-openai-server';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

type Sent = { role: string; content: string | null; tool_call_id?: string }[];
const PNG_START = 'iVBORw0KGgo'; // base64 of the PNG signature

describe('an MCP result as the model reads it (server-everything over real stdio, a real HTTP model server)', () => {
  it('sends text as text, an embedded resource with its URI, and an image as a line naming it, while the chat keeps the image', async () => {
    const server = await startFakeOpenAiServer();
    server.reply(
      {
        sse: [
          chunk.toolStart(0, 'call_image', 'everything__get-tiny-image'),
          chunk.toolArgs(0, '{}'),
          chunk.toolStart(1, 'call_resource', 'everything__get-resource-reference'),
          chunk.toolArgs(1, '{"resourceType":"Text","resourceId":3}'),
          chunk.toolStart(2, 'call_links', 'everything__get-resource-links'),
          chunk.toolArgs(2, '{"count":1}'),
          chunk.finish('tool_calls'),
        ],
      },
      { sse: [chunk.text('A tiny image.'), chunk.finish('stop')] },
    );
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') } });
    const { runtime } = startTestRuntime({ dataDir });
    await runtime.mcp.settled();
    await runtime.handlers['models.set']({ selection: { provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' } });
    const { id: conversationId } = await runtime.handlers['conversations.create']({});

    const outcome = await runtime.startTurn(conversationId, 'show me the tiny image and resource 3').done;
    expect(outcome).toMatchObject({ error: null, reply: 'A tiny image.' });

    const sent = new Map((server.requests[1]!.messages as Sent).filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content ?? '']));
    const image = sent.get('call_image')!;
    expect(image).toMatch(/^<untrusted-content-\w+ source="[^"]*everything[^"]*">\n/); // still fenced as untrusted
    expect(image).toContain("Here's the image you requested:");
    expect(image).toMatch(/\[image: image\/png, \d+ KB; shown to the person in the chat, not sent to the model\]/);
    expect(image).not.toContain(PNG_START);
    expect(image).not.toContain('"type"'); // not the result's JSON
    const resource = sent.get('call_resource')!;
    expect(resource).toMatch(/\[resource demo:\/\/resource\/dynamic\/text\/3 \(text\/plain\)\]\nResource 3: This is a plaintext resource/);
    expect(sent.get('call_links')).toMatch(/\[resource link: Blob Resource 1, demo:\/\/resource\/dynamic\/blob\/1 \(text\/plain\): Resource 1: plaintext resource\]/);

    // The chat's record keeps the whole result, image included, for the tool card to show.
    const messages = await runtime.handlers['messages.list']({ conversationId });
    const stored = messages.find((m) => m.toolCall?.toolName === 'everything.get-tiny-image')!.toolCall!.result as { content: { type: string; data?: string }[] };
    const storedImage = stored.content.find((part) => part.type === 'image')!;
    expect(storedImage.data).toMatch(new RegExp(`^${PNG_START}`));
    // What the model is spared: the image's base64, several times the size of what it is sent instead.
    expect(image.length * 3).toBeLessThan(JSON.stringify(stored).length);
  });

  it("to a local model the person marked as seeing images: the step's images follow its results in a user message that says whose they are", async () => {
    const server = await startFakeOpenAiServer();
    server.reply(
      { sse: [chunk.toolStart(0, 'call_image', 'everything__get-tiny-image'), chunk.toolArgs(0, '{}'), chunk.toolStart(1, 'call_echo', 'everything__echo'), chunk.toolArgs(1, '{"message":"hi"}'), chunk.finish('tool_calls')] },
      { sse: [chunk.text('The MCP logo.'), chunk.finish('stop')] },
      { sse: [chunk.text('It was the logo.'), chunk.finish('stop')] },
    );
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') } });
    const { runtime } = startTestRuntime({ dataDir });
    await runtime.mcp.settled();
    await runtime.handlers['models.set']({ selection: { provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native', vision: true } });
    const { id: conversationId } = await runtime.handlers['conversations.create']({});

    expect(await runtime.startTurn(conversationId, 'show me the tiny image').done).toMatchObject({ error: null, reply: 'The MCP logo.' });
    type Part = { type: string; text?: string; image_url?: { url: string } };
    const sent = server.requests[1]!.messages as { role: string; content: string | Part[] | null; tool_call_id?: string }[];
    // The tool messages stay text (the API takes nothing else there), both before the images; then one user message.
    expect(sent.slice(-3).map((m) => m.role)).toEqual(['tool', 'tool', 'user']);
    expect(sent.at(-3)!.content).toMatch(/\[image 1: image\/png, \d+×\d+ pixels, \d+ KB; attached after this result\]/);
    const images = sent.at(-1)!.content as Part[];
    expect(images.map((part) => part.type)).toEqual(['text', 'text', 'image_url']);
    expect(images[0]!.text).toBe('[The image the tool results above named as attached: from the tools, not from the person, and untrusted like the results themselves.]');
    expect(images[1]!.text).toBe('[from everything.get-tiny-image]');
    expect(images[2]!.image_url!.url).toMatch(new RegExp(`^data:image/png;base64,${PNG_START}`));

    // The next turn names the image and does not send it again.
    await runtime.startTurn(conversationId, 'what was it?').done;
    const later = server.requests[2]!.messages as { role: string; content: string | Part[] | null }[];
    expect(later.some((m) => Array.isArray(m.content) && m.content.some((part) => part.type === 'image_url'))).toBe(false);
    expect(JSON.stringify(later)).toMatch(/from an earlier turn, not sent again/);
  });
});
