import { describe, expect, it } from 'vitest';
import { applyTextEdits, fileEditsOf } from '../../src/shared/file-edits';

describe('file edits, for the approval diff', () => {
  it("reads the filesystem server's edit_file and the coding agents' edit tools; nothing else", () => {
    expect(fileEditsOf({ path: 'a.md', edits: [{ oldText: 'x', newText: 'y' }], dryRun: true })).toEqual({ path: 'a.md', edits: [{ oldText: 'x', newText: 'y', all: false }], dryRun: true });
    expect(fileEditsOf({ file_path: '/w/a.ts', old_string: 'x', new_string: 'y', replace_all: true })).toEqual({ path: '/w/a.ts', edits: [{ oldText: 'x', newText: 'y', all: true }], dryRun: false });
    expect(fileEditsOf({ path: 'a.md', content: 'whole' })).toBeNull();
    expect(fileEditsOf({ path: 'a.md', edits: [{ oldText: 'x' }] })).toBeNull(); // malformed: no preview, the raw arguments shown
    expect(fileEditsOf({ path: 'a.md', edits: [] })).toBeNull();
    expect(fileEditsOf({ edits: [{ oldText: 'x', newText: 'y' }] })).toBeNull();
    expect(fileEditsOf(['path'])).toBeNull();
  });

  it('applies the edits in order, each to its first exact occurrence, with CRLF read as LF', () => {
    const outcome = applyTextEdits('milk\r\neggs\r\nmilk\r\n', [
      { oldText: 'milk', newText: 'bread', all: false },
      { oldText: 'bread\neggs', newText: 'bread\nbutter', all: false },
    ]);
    expect(outcome).toEqual({
      before: 'milk\neggs\nmilk\n',
      after: 'bread\nbutter\nmilk\n',
      notes: ["Edit 1's text appears 2 times; the first is shown changed (a tool that wants one place may refuse)."],
    });
    expect(applyTextEdits('a-a-a', [{ oldText: 'a', newText: 'b', all: true }])).toEqual({ before: 'a-a-a', after: 'b-b-b', notes: ['The edit replaces all 3 places its text appears.'] });
    // A new text holding `$&` is written as is (no replacement patterns).
    expect(applyTextEdits('price', [{ oldText: 'price', newText: '$& more', all: false }])).toMatchObject({ after: '$& more' });
  });

  it('shows no diff, and says why, when a text is not found exactly or is empty', () => {
    expect(applyTextEdits('  indented line', [{ oldText: 'indented  line', newText: 'x', all: false }])).toEqual({
      problem: "The edit's text to replace is not in the file exactly as given, so no diff is shown: the tool may match it loosely (ignoring indentation) or refuse.",
    });
    expect(applyTextEdits('a', [{ oldText: 'a', newText: 'b', all: false }, { oldText: '', newText: 'c', all: false }])).toEqual({ problem: 'Edit 2 gives no text to replace.' });
  });
});
