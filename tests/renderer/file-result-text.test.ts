import { describe, expect, it } from 'vitest';
import { fileResultText } from '../../src/renderer/features/chat/file-result-text';

describe("a file's text in a tool's result, as its card draws it", () => {
  it("a built-in read's content is its text, with its path; anything else is not a file's text", () => {
    expect(fileResultText({ path: 'q3.csv', content: 'month,metric\nQ3,4%\n', bytes: 19 })).toEqual({ path: 'q3.csv', content: 'month,metric\nQ3,4%\n' });
    expect(fileResultText({ content: 'no path' })).toEqual({ content: 'no path' });
    for (const other of [null, 'text', ['content'], { content: 42 }, { path: 'a', entries: [] }, { content: [{ type: 'text', text: 'x' }] }]) {
      expect(fileResultText(other), JSON.stringify(other)).toBeUndefined();
    }
  });
});
