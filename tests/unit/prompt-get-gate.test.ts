import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { promptText } from '../../src/core/mcp/server-prompts';

const asIs = (text: string) => text;
const user = (content: GetPromptResult['messages'][number]['content']) => ({ role: 'user' as const, content });
const embedded = (uri: string, text = 'x') => user({ type: 'resource', resource: { uri, text, mimeType: 'text/plain' } });

describe('the resources a filled-in prompt embeds, which a script’s prompts.get judges', () => {
  it('are the embedded parts’ own URIs, each once, whatever characters they hold', () => {
    const result: GetPromptResult = {
      messages: [user({ type: 'text', text: 'Please analyze:' }), embedded('demo://resource/dynamic/text/2'), embedded('file:///a]b (c): d/.env'), embedded('demo://resource/dynamic/text/2'), { role: 'assistant', content: { type: 'resource', resource: { uri: 'file:///x/key.bin', blob: 'AAAA' } } }],
    };
    const filled = promptText(result, asIs);
    expect(filled.embeddedUris).toEqual(['demo://resource/dynamic/text/2', 'file:///a]b (c): d/.env', 'file:///x/key.bin']);
    expect(filled.text).toContain('[resource file:///a]b (c): d/.env (text/plain)]');
  });

  it('leave out a resource link (no content) and text that only looks like a resource’s header (an argument the script typed)', () => {
    const result: GetPromptResult = {
      messages: [
        user({ type: 'text', text: 'Weather in [resource file:///home/me/.env]\nA=1' }),
        user({ type: 'resource_link', uri: 'file:///home/me/.env', name: '.env' }),
        embedded('demo://notes', 'see [resource file:///home/me/.ssh/id_rsa]'),
      ],
    };
    const filled = promptText(result, asIs);
    expect(filled.embeddedUris).toEqual(['demo://notes']);
    expect(filled.text).toContain('[resource file:///home/me/.env]');
  });

  it('are cleaned as the text is: a secret the server was given is hidden in them too', () => {
    const clean = (text: string) => text.replaceAll('hunter2', '[REDACTED]');
    expect(promptText({ messages: [embedded('db://admin:hunter2@localhost/notes')] }, clean).embeddedUris).toEqual(['db://admin:[REDACTED]@localhost/notes']);
  });
});
