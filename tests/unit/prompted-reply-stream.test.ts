import { describe, expect, it } from 'vitest';
import { PromptedReplyStream } from '../../src/core/model/prompted-reply-stream';
import { parsePromptedReply } from '../../src/core/model/prompted-tool-calls';

/** Feeds `output` in the given pieces; returns what was released while streaming and what `rest` adds at the end. */
function play(pieces: readonly string[]): { streamed: string[]; rest: string } {
  const stream = new PromptedReplyStream();
  const streamed = pieces.map((piece) => stream.push(piece)).filter(Boolean);
  const parsed = parsePromptedReply(pieces.join(''));
  return { streamed, rest: 'reply' in parsed ? stream.rest(parsed.reply) : '' };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every split of `text` into two pieces, and into pieces of each size from 1 to 7. */
function splits(text: string): string[][] {
  const out: string[][] = [];
  for (let i = 0; i <= text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  for (let size = 1; size <= 7; size++) out.push(text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? []);
  return out;
}

describe('prompted reply streaming', () => {
  const reply = 'Hello \\"world\\"\\nline two, tab\\there, \\u00e9t\\u00e9, a face \\ud83d\\ude00, a slash \\/ and a backslash \\\\.';
  const output = `{"reply": "${reply}"}`;
  const expected = JSON.parse(`"${reply}"`) as string;

  it('releases the reply as it arrives, and whatever the pieces, the text shown is exactly the parsed reply', () => {
    for (const pieces of splits(output)) {
      const { streamed, rest } = play(pieces);
      expect(streamed.join('')).toBe(expected);
      expect(rest).toBe('');
      // An escape is only released whole: no piece ends halfway through a surrogate pair.
      for (const piece of streamed) expect(piece).not.toMatch(LONE_SURROGATE);
    }
  });

  it('shows the text before the answer is complete', () => {
    const { streamed } = play(['{"reply": "The answer', ' is forty', '-two."}']);
    expect(streamed).toEqual(['The answer', ' is forty', '-two.']);
  });

  it('streams a reply inside a ```json fence, with whitespace around the opening', () => {
    const pieces = ['```js', 'on\n { "reply" :', ' "fenced', ' text" }\n```'];
    expect(play(pieces)).toEqual({ streamed: ['fenced', ' text'], rest: '' });
  });

  it('releases nothing of a tool call, of prose, or of an object that does not open with "reply"', () => {
    const stream = (pieces: string[]): string[] => {
      const s = new PromptedReplyStream();
      return pieces.map((p) => s.push(p)).filter(Boolean);
    };
    expect(stream(['{"tool_calls": [{"name": "fs.read", "arguments": {"path": "a.md"}}]}'])).toEqual([]);
    expect(stream(['{"tool', '_calls": [{"name": "reply"}]}'])).toEqual([]);
    expect(stream(['Sure! ```json\n{"reply": "x"}```'])).toEqual([]);
    expect(stream(['{"answer": "x", "reply": "y"}'])).toEqual([]);
  });

  it('raw line breaks and tabs inside strings (a model without JSON mode) are repaired, in replies and in tool arguments', () => {
    const output = '{"reply": "First line.\n\tIndented second line."}';
    for (const pieces of splits(output)) {
      const { streamed, rest } = play(pieces);
      expect(streamed.join('')).toBe('First line.\n\tIndented second line.');
      expect(rest).toBe('');
    }
    expect(parsePromptedReply('{"tool_calls": [{"name": "fs.write", "arguments": {"path": "a.md", "content": "a\nb"}}]}'))
      .toEqual({ tool_calls: [{ name: 'fs.write', arguments: { path: 'a.md', content: 'a\nb' } }] });
  });

  it('at the end, a reply the stream could not follow is released whole by rest', () => {
    const stream = new PromptedReplyStream();
    expect(stream.push('Just prose, no JSON.')).toBe('');
    expect(stream.rest('Just prose, no JSON.')).toBe('Just prose, no JSON.');
  });
});
