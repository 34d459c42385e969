import { describe, expect, it } from 'vitest';
import { mistakeLine } from '../../src/renderer/features/tools/mistake-line';

const text = '{\n  "mcpServers": {\n    "a": { "command": "x" }\n    "b": {}\n  }\n}';

describe('the line a refusal of mcp.json names, to put the caret on', () => {
  it('found in the slip said or the place of the mistake, with its start and end in the text', () => {
    expect(mistakeLine(['Not saved: line 3 ends an entry with no comma before the next one, which JSON needs: add a comma at its end.'], text)).toEqual({
      line: 3,
      start: text.indexOf('    "a"'),
      end: text.indexOf('\n    "b"'),
    });
    expect(mistakeLine(['Not saved: this is not valid JSON (its mistake is at line 1, column 2).'], text)).toEqual({ line: 1, start: 0, end: 1 });
  });

  it('none when no line is named, or the text has no such line', () => {
    expect(mistakeLine(['Not saved: the file must be an object with an "mcpServers" object.'], text)).toBeNull();
    expect(mistakeLine(['Not saved: line 40 ends its last entry with a comma before the }, which JSON does not allow: remove it.'], text)).toBeNull();
  });
});
