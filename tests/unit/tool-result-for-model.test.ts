import { describe, expect, it } from 'vitest';
import { ImageAllowance, toolResultForModel, toolResultText } from '../../src/core/orchestrator/tool-result-for-model';
import { sanitizeToolOutput } from '../../src/core/tools/output-sanitizer';
import { readMcpContent } from '../../src/shared/mcp-content';
import { pngBase64 } from '../helpers/images';

const png = Buffer.alloc(3_000, 7).toString('base64');

describe('what the model reads of a tool result', () => {
  it('reads an MCP result part by part: text as text, binary parts named with their size, never their bytes', () => {
    const text = toolResultText({
      content: [
        { type: 'text', text: 'line one\nline "two"' },
        { type: 'image', data: png, mimeType: 'image/png' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'file:///a.bin', mimeType: 'application/zip', blob: 'AAAAAA==' } },
        { type: 'resource', resource: { uri: 'file:///b.md', text: '# B' } },
        { type: 'resource_link', uri: 'file:///c', name: 'c', title: 'The C file' },
        { type: 'hologram' },
      ],
    });
    expect(text.split('\n')).toEqual([
      'line one',
      'line "two"',
      '[image: image/png, 3 KB; shown to the person in the chat, not sent to the model]',
      '[audio: audio/wav, 3 B; shown to the person in the chat, not sent to the model]',
      '[resource file:///a.bin (application/zip): 4 B of binary data, not sent to the model]',
      '[resource file:///b.md]',
      '# B',
      '[resource link: The C file, file:///c]',
      '[a "hologram" part, not sent to the model]',
    ]);
    expect(text).not.toContain(png.slice(0, 40));
  });

  it('reads structured content when the server gave no text, and says so when it gave nothing', () => {
    expect(toolResultText({ content: [], structuredContent: { temperature: 21 } })).toBe('{"temperature":21}');
    // With text beside it the structure is the text's twin, and is not sent twice.
    expect(toolResultText({ content: [{ type: 'text', text: '21 degrees' }], structuredContent: { temperature: 21 } })).toBe('21 degrees');
    expect(toolResultText({ content: [] })).toBe('(the tool returned no content)');
  });

  it('sends any other result, or a content list that is not MCP’s, as JSON', () => {
    expect(toolResultText({ path: 'a.md', content: 'hi' })).toBe('{"path":"a.md","content":"hi"}');
    expect(toolResultText({ content: ['not a part'] })).toBe('{"content":["not a part"]}');
    expect(toolResultText(undefined)).toBe('null');
  });

  it('reads a result the output cap cut as its text and the cap’s notice', () => {
    const cut = sanitizeToolOutput({ content: [{ type: 'text', text: 'x'.repeat(2_000) }] }, 1_000).value;
    expect(toolResultText(cut)).toMatch(/^x{1000}\n\[Output truncated by Portcullis/);
  });

  it('takes nothing on trust from the server: a part without its fields is an unknown part', () => {
    expect(readMcpContent({ content: [{ type: 'image', mimeType: 'image/png' }, { type: 'resource', resource: 'x' }, { type: 'resource_link', name: 'no uri' }] })?.parts).toEqual([
      { kind: 'unknown', type: 'image' },
      { kind: 'unknown', type: 'resource' },
      { kind: 'unknown', type: 'resource_link' },
    ]);
  });
});

describe('a resource sent as base64', () => {
  it('is read as text when its type says it is text and its bytes are UTF-8; otherwise only its size is told', () => {
    const resource = (mimeType: string, blob: string) => toolResultText({ content: [{ type: 'resource', resource: { uri: 'demo://r', mimeType, blob } }] });
    expect(resource('text/plain', Buffer.from('héllo').toString('base64'))).toBe('[resource demo://r (text/plain)]\nhéllo');
    expect(resource('application/json', Buffer.from('{"a":1}').toString('base64'))).toBe('[resource demo://r (application/json)]\n{"a":1}');
    expect(resource('text/plain', Buffer.from([0xff, 0xfe, 0x00]).toString('base64'))).toBe('[resource demo://r (text/plain): 3 B of binary data, not sent to the model]');
    expect(resource('text/plain', 'not base64 at all!')).toMatch(/binary data, not sent/);
    expect(resource('application/zip', Buffer.from('PK').toString('base64'))).toBe('[resource demo://r (application/zip): 2 B of binary data, not sent to the model]');
  });
});

describe("a result's images, for a model that takes images", () => {
  const image = (data: string, mimeType = 'image/png') => ({ type: 'image', data, mimeType });
  const screenshot = pngBase64(64, 48);

  it('attaches each image the API will take after the text, named in it by number; any other is described', () => {
    const result = toolResultForModel(
      { content: [{ type: 'text', text: 'two views' }, image(screenshot), image(screenshot, 'image/jpeg'), image(pngBase64(10, 10))] },
      { mode: 'attach', allowance: new ImageAllowance() },
    );
    expect(result.text.split('\n')).toEqual([
      'two views',
      expect.stringMatching(/^\[image 1: image\/png, 64×48 pixels, \d+ B; attached after this result\]$/),
      expect.stringMatching(/^\[image: image\/jpeg, \d+ B; not sent to the model: its data is a PNG image, not image\/jpeg\]$/),
      expect.stringMatching(/^\[image 2: image\/png, 10×10 pixels, \d+ B; attached after this result\]$/),
    ]);
    expect(result.images.map((i) => [i.mediaType, i.data.slice(0, 20), i.tokens])).toEqual([
      ['image/png', screenshot.slice(0, 20), 5],
      ['image/png', pngBase64(10, 10).slice(0, 20), 1],
    ]);
  });

  it('sends at most five images of a result, and no more than the request allows in all', () => {
    const six = { content: Array.from({ length: 6 }, () => image(screenshot)) };
    expect(toolResultForModel(six, { mode: 'attach', allowance: new ImageAllowance() }).images).toHaveLength(5);
    const allowance = new ImageAllowance(7);
    expect(toolResultForModel(six, { mode: 'attach', allowance }).images).toHaveLength(5);
    const second = toolResultForModel(six, { mode: 'attach', allowance });
    expect(second.images).toHaveLength(2);
    expect(second.text).toMatch(/not sent to the model: a request carries at most 20 images\]$/);
  });

  it("names an earlier turn's image without sending it again", () => {
    const result = toolResultForModel({ content: [image(screenshot)] }, { mode: 'earlier' });
    expect(result).toEqual({ text: expect.stringMatching(/^\[image: image\/png, \d+ B; from an earlier turn, not sent again\]$/), images: [] });
  });
});
