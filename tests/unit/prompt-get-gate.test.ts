import { describe, expect, it } from 'vitest';
import { embeddedResourceUris } from '../../src/core/api/prompt-get-gate';
import { partAsText } from '../../src/shared/mcp-content';

const resource = (uri: string, extra: { mimeType?: string; text?: string; bytes?: number } = {}) => partAsText({ kind: 'resource', uri, ...extra } as Parameters<typeof partAsText>[0]);

describe('the resources a prompt’s text embeds, read back from what partAsText wrote', () => {
  it('finds each embedded resource’s URI among its readings, with or without a MIME type, text or bytes', () => {
    const text = ['Please analyze:', resource('demo://resource/dynamic/text/2', { mimeType: 'text/plain', text: 'Resource 2' }), `User: ${resource('file:///home/me/.env', { text: 'A=1' })}`, resource('file:///x/key.bin', { bytes: 10 })].join('\n');
    const uris = embeddedResourceUris(text);
    expect(uris).toEqual(expect.arrayContaining(['demo://resource/dynamic/text/2', 'file:///home/me/.env', 'file:///x/key.bin']));
  });

  it('reads a URI holding the characters that end one every way (so the real one is decided too), and not a resource link', () => {
    const uris = embeddedResourceUris(resource('file:///a]b (c): d/.env', { text: 'x' }));
    expect(uris).toContain('file:///a]b (c): d/.env');
    expect(uris).toContain('file:///a');
    expect(embeddedResourceUris(partAsText({ kind: 'link', name: '.env', uri: 'file:///home/me/.env' } as Parameters<typeof partAsText>[0]))).toEqual([]);
    expect(embeddedResourceUris('no resources here')).toEqual([]);
  });
});
