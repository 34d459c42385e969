import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PartialReply } from '../../src/core/orchestrator/model-step';
import { ReplyDraftWriter } from '../../src/core/orchestrator/reply-draft-writer';
import type { ReplyDraft, ReplyDraftStore } from '../../src/core/storage/stores/reply-draft-store';

// The writer's clock and timer are faked, so that a loaded machine's late timers cannot change what is counted.
const sleep = (ms: number) => vi.advanceTimersByTime(ms);

function recordingWriter(everyMs: number) {
  const saved: ReplyDraft[] = [];
  const store = { save: (draft: ReplyDraft) => void saved.push(draft) } as unknown as ReplyDraftStore;
  const partial: PartialReply = { text: '' };
  const writer = new ReplyDraftWriter(store, { conversationId: 'c', turnId: 't', traceId: 'x' }, partial, { now: () => Date.now() }, everyMs);
  return { saved, partial, writer };
}

/** A streaming reply is drafted at a bounded rate, never once per piece, and its last words are not left out. */
describe('ReplyDraftWriter', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('writes the first words at once, then at most every everyMs, and the last ones after a pause', async () => {
    const { saved, partial, writer } = recordingWriter(50);
    for (let i = 0; i < 60; i++) {
      partial.text += `w${i} `;
      writer.changed();
      if (i === 0) expect(saved.map((d) => d.content)).toEqual(['w0 ']);
      sleep(5);
    }
    // 60 pieces over 300 ms: the first at once, then one per 50 ms, not one per piece.
    expect(saved.length).toBe(7);
    sleep(80);
    expect(saved.at(-1)!.content).toBe(partial.text);
    expect(saved.at(-1)).toMatchObject({ conversationId: 'c', turnId: 't', traceId: 'x' });
  });

  it('writes nothing once stopped, nor between steps (no words under way)', async () => {
    const { saved, partial, writer } = recordingWriter(30);
    partial.text = 'a';
    writer.changed();
    partial.text = 'ab';
    writer.changed();
    partial.text = '';
    sleep(50);
    expect(saved.map((d) => d.content)).toEqual(['a']);
    partial.text = 'abc';
    writer.changed();
    writer.stop();
    partial.text = 'abcd';
    writer.changed();
    sleep(50);
    expect(saved.map((d) => d.content)).toEqual(['a', 'abc']);
  });
});
