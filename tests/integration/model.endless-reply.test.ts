import { describe, expect, it } from 'vitest';
import { createModelProvider } from '../../src/core/model/provider-factory';
import { MAX_REPLY_CHARS } from '../../src/core/model/reply-size-limit';
import { chunk, startFakeOpenAiServer } from '../helpers/fake-openai-server';
import { startTestRuntime } from '../helpers/test-runtime';

describe('a model server that streams a reply without end', () => {
  it('is stopped past 10 million characters and the turn says why, where the reply grew until "Invalid string length" or the memory ran out', async () => {
    const server = await startFakeOpenAiServer();
    const piece = 'word '.repeat(50_000);
    const pieces = Math.ceil(MAX_REPLY_CHARS / piece.length) + 1;
    server.reply({ sse: [...Array.from({ length: pieces }, () => chunk.text(piece)), chunk.finish('stop')] });
    const model = createModelProvider({ provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' }, undefined);
    const { runtime } = startTestRuntime({ model });
    const { id } = await runtime.handlers['conversations.create']({});
    const outcome = await runtime.startTurn(id, 'hi').done;
    expect(outcome.error).toEqual({
      code: 'MODEL_OUTPUT_INVALID',
      message: `The model fake-model@${server.baseUrl} sent a reply of more than 10 million characters, more than any model writes in one answer, so Portcullis stopped reading it and ended the turn. Its server may be looping: check it, then Retry.`,
    });
  }, 30_000);
});
