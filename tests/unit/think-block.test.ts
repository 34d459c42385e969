import { describe, expect, it } from 'vitest';
import { splitThinking, ThinkSplitter } from '../../src/core/model/think-block';

/** The reply streamed in pieces of `size` characters, told apart. */
function streamed(text: string, size: number) {
  const splitter = new ThinkSplitter();
  let reasoning = '';
  let answer = '';
  for (let at = 0; at < text.length; at += size) {
    const piece = splitter.push(text.slice(at, at + size));
    if (piece.recalled) answer = ''; // given out as answer, then recalled: it is in the piece's reasoning
    reasoning += piece.reasoning;
    answer += piece.answer;
  }
  const end = splitter.end();
  if (end.recalled) answer = '';
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
      expect(streamed('a < b </', size)).toEqual({ reasoning: '', answer: 'a < b </', unclosed: false });
    }
  });

  it('says a block never closed is all reasoning, a tag half-written at the end too', () => {
    expect(streamed('<think>Let me see. </thi', 3)).toEqual({ reasoning: 'Let me see. </thi', answer: '', unclosed: true });
    expect(splitThinking('<think>only thinking')).toEqual({ reasoning: 'only thinking', answer: '', unclosed: true });
  });

  it('recalls as reasoning what came before a lone </think> closing its line, its opening having been in the prompt', () => {
    const reply = 'Okay, the user wants a greeting.\nI will say hello.\n</think>\n\nHello there!';
    for (const size of [1, 2, 3, 7, 9, reply.length]) {
      expect(streamed(reply, size)).toEqual({ reasoning: 'Okay, the user wants a greeting.\nI will say hello.\n', answer: 'Hello there!', unclosed: false });
    }
    // Closed at the very end: all of it was reasoning, and no answer came.
    expect(splitThinking('Let me think.\n</think>')).toEqual({ reasoning: 'Let me think.\n', answer: '', unclosed: false });
    expect(streamed('Let me think.</think>  ', 4)).toEqual({ reasoning: 'Let me think.', answer: '', unclosed: false });
    // The shapes these models write: the close on its own line (CRLF too), or stuck to the reasoning's last word.
    const shapes: Array<[string, string, string]> = [
      ['Okay, so the user asks 2+2.\r\n</think>\r\n\r\n4', 'Okay, so the user asks 2+2.\r\n', '4'],
      ['Okay, so the user asks 2+2. That is 4.</think>\n\nIt is 4.', 'Okay, so the user asks 2+2. That is 4.', 'It is 4.'],
      ['Hmm, `x` is a variable.\n  </think>\n\nUse x.', 'Hmm, `x` is a variable.\n  ', 'Use x.'],
    ];
    for (const [reply, reasoning, answer] of shapes) {
      for (const size of [1, 3, reply.length]) expect(streamed(reply, size)).toEqual({ reasoning, answer, unclosed: false });
    }
  });

  it('leaves whole an answer that writes </think> in code or names it in a sentence', () => {
    const answers = [
      'Strip the block:\n```python\ntext = text.split("</think>")[-1]\nprint("</think>")\n</think>\n```\nDone.',
      'The tag `</think>` ends it.\nMore.',
      'Models close their reasoning with </think> and then answer.\n',
      '<b>Note</b>: a <think> block ends with\n</think>\nas here.',
      // Named at the end of a sentence's line, after a space, ending the reply too.
      'A reasoning model closes its thinking with </think>\n\nso strip all before it.',
      'The closing tag is </think>',
      'Inline code `like </think>`\nand ``</think>``\n',
      // In markdown's list, quote, indented code or ~~~ block.
      'The tags:\n- </think>\n> </think>\n\n    </think>\n\n~~~\n</think>\n~~~\n',
    ];
    for (const text of answers) {
      for (const size of [1, 5, text.length]) expect(streamed(text, size)).toEqual({ reasoning: '', answer: text, unclosed: false });
    }
    // A second close after a real opening block is the answer's own words.
    expect(splitThinking('<think>a</think>\nAnswer\n</think>\nmore')).toEqual({ reasoning: 'a', answer: 'Answer\n</think>\nmore', unclosed: false });
  });
});
