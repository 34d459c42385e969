import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import type { ModelChunk, ModelProvider } from '../../src/core/model/model-provider';
import { claimDataFolder } from '../../src/core/runtime/data-folder-owner';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

/** Fails its first step (the turn ends without an answer); then waits, with nothing said, until the test lets it answer. */
function failsThenWaits(): { model: ModelProvider; asked: Promise<void>; answer: () => void } {
  let answer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  let askedAgain: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => (askedAgain = resolve));
  let steps = 0;
  const model: ModelProvider = {
    id: 'slow', description: 'fails, then thinks a long time',
    async *stream(_request, signal): AsyncIterable<ModelChunk> {
      if (++steps === 1) throw new AppError('MODEL_UNAVAILABLE', 'Loading model');
      askedAgain();
      await Promise.race([answered, new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }))]);
      yield { type: 'text-delta', text: 'Hello.' };
      yield { type: 'finish', reason: 'stop' };
    },
  };
  return { model, asked, answer };
}

/**
 * The app started while a `portcullis chat` beside it retries a turn whose model has not said anything yet: the
 * retry's trace has spans (its route) but no message names it yet. The start leaves that trace rootless, as the
 * turn's own root comes at its end, where it gave it a second, "interrupted" root.
 */
describe('the app started beside a portcullis chat retrying a turn', () => {
  it('gives the retry\'s trace no interrupted root', async () => {
    const { model, asked, answer } = failsThenWaits();
    const dataDir = tempDir();
    // Another process owns the folder when the chat starts, and ends before the app starts.
    const earlierOwner = claimDataFolder(dataDir);
    const chat = startTestRuntime({ dataDir, model });
    expect(chat.runtime.ownsDataFolder).toBe(false);
    const { id: conversationId } = await chat.runtime.handlers['conversations.create']({});
    expect((await chat.runtime.startTurn(conversationId, 'say hello').done).error).toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    const retried = chat.runtime.retryTurn(conversationId);
    await asked;
    chat.runtime.telemetry.settle(); // its route span is stored, as the batch's timer would store it
    earlierOwner.release();

    const app = startTestRuntime({ dataDir });
    expect(app.runtime.ownsDataFolder).toBe(true);

    const traces = openTracesConnection(join(dataDir, 'traces.db'));
    const roots = () => traces.prepare('SELECT status FROM spans WHERE trace_id = ? AND parent_span_id IS NULL').pluck().all(retried.traceId);
    expect(roots()).toEqual([]);
    answer();
    expect(await retried.done).toMatchObject({ error: null, reply: 'Hello.' });
    chat.runtime.telemetry.settle();
    expect(roots()).toEqual(['ok']);
    traces.close();
  });
});
