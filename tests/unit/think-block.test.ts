import { describe, expect, it } from 'vitest';
import { splitThinking, ThinkSplitter } from '../../src/core/model/think-block';

/** The reply streamed in pieces of `size` characters, told apart. */
function streamed(text: string, size: number) {
  const splitter = new ThinkSplitter();
  let reasoning = '';
  let answer = '';
  for (let at = 0; at < text.length; at += size) {
    const piece = splitter.push(text.slice(at, at + size));
    reasoning += piece.reasoning;
    answer += piece.answer;
  }
  const end = splitter.end();
  return { reasoning: reasoning + end.reasoning, answer: answer + end.answer, unclosed: end.unclosed };
}

describe('ThinkSplitter', () => {
  it('tells the opening <think> block from the answer however the stream cuts it, tags included', () => {
    const reply = '\n<think>\nI think a < b and </thin is not the end.\n</think>\n\nThe answer: <think> stays.';
    for (const size of [1, 2, 3, 5, 7, 8, 13, reply.length]) {
      expect(streamed(reply, size)).toEqual({ reasoning: '\nI think a < b and </thin is not the end.\n', answer: 'The answer: <think> stays.', unclosed: false });
    }
  });

  it('leaves a reply without reasoning whole, a "<" at its start too', () => {
    for (const size of [1, 4, 100]) {
      expect(streamed('<b>bold</b> and more', size)).toEqual({ reasoning: '', answer: '<b>bold</b> and more', unclosed: false });
      expect(streamed('<thin', size)).toEqual({ reasoning: '', answer: '<thin', unclosed: false });
    }
  });

  it('says a block never closed is all reasoning, a tag half-written at the end too', () => {
    expect(streamed('<think>Let me see. </thi', 3)).toEqual({ reasoning: 'Let me see. </thi', answer: '', unclosed: true });
    expect(splitThinking('<think>only thinking')).toEqual({ reasoning: 'only thinking', answer: '', unclosed: true });
  });
});
