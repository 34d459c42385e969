import { describe, expect, it } from 'vitest';
import { MAX_SAMPLING_TOKENS, samplingAsk } from '../../src/core/mcp/server-sampling';

const clean = (text: string) => text.replaceAll('SECRET', '[hidden]');

describe('a sampling request as the person is shown it', () => {
  it('keeps text (cleaned), names every other part instead of sending it, and caps the tokens', () => {
    const ask = samplingAsk(
      {
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'look at SECRET' }, { type: 'image', data: 'A'.repeat(4_000), mimeType: 'image/png' }] },
          { role: 'assistant', content: { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' } },
        ],
        systemPrompt: 'be brief, SECRET',
        maxTokens: 1_000_000,
      },
      clean,
      'llama3 on http://127.0.0.1:11434/v1',
    );
    expect(ask).toEqual({
      model: 'llama3 on http://127.0.0.1:11434/v1',
      systemPrompt: 'be brief, [hidden]',
      messages: [
        { role: 'user', text: 'look at [hidden]\n[image: image/png, 3 KB; not sent to the model]' },
        { role: 'assistant', text: '[audio: audio/wav, 3 B; not sent to the model]' },
      ],
      maxTokens: MAX_SAMPLING_TOKENS,
    });
  });

  it('takes no system prompt when the server gives none, and at least one token', () => {
    const ask = samplingAsk({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 0 }, clean, 'm');
    expect(ask).toEqual({ model: 'm', messages: [{ role: 'user', text: 'hi' }], maxTokens: 1 });
  });
});
