/** One replacement a file-editing tool asks for: its old text by its new, the first time or (`all`) every time. */
export interface TextEdit {
  oldText: string;
  newText: string;
  all: boolean;
}

/** The file a call edits in place, and how. */
export interface FileEdits {
  path: string;
  edits: TextEdit[];
  /** The call only shows what it would change (the filesystem server's `dryRun`). */
  dryRun: boolean;
}

/** Enough for any real edit; a call with more is not previewed. */
const MAX_EDITS = 100;

/**
 * The edits of a call shaped like the common file-editing tools, for a diff before it runs: MCP's filesystem
 * server's `edit_file` (`path`, `edits: [{ oldText, newText }]`, `dryRun`) and the coding agents' edit tools
 * (`file_path` or `path`, `old_string`, `new_string`, `replace_all`). Null for any other shape.
 */
export function fileEditsOf(args: unknown): FileEdits | null {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return null;
  const { path, file_path: filePath, edits, old_string: oldString, new_string: newString, replace_all: replaceAll, dryRun } = args as Record<string, unknown>;
  const target = typeof path === 'string' ? path : typeof filePath === 'string' ? filePath : null;
  if (target === null || target === '') return null;
  if (Array.isArray(edits) && edits.length > 0 && edits.length <= MAX_EDITS && edits.every(isFilesystemEdit)) {
    return { path: target, edits: edits.map(({ oldText, newText }) => ({ oldText, newText, all: false })), dryRun: dryRun === true };
  }
  if (typeof oldString === 'string' && typeof newString === 'string') {
    return { path: target, edits: [{ oldText: oldString, newText: newString, all: replaceAll === true }], dryRun: false };
  }
  return null;
}

function isFilesystemEdit(edit: unknown): edit is { oldText: string; newText: string } {
  if (edit === null || typeof edit !== 'object') return false;
  const { oldText, newText } = edit as Record<string, unknown>;
  return typeof oldText === 'string' && typeof newText === 'string';
}

/**
 * The file before and after the edits (line endings read as `\n` in both, so the diff shows only the edits), with
 * what is worth knowing; or why no faithful preview can be made.
 */
export type EditedText = { before: string; after: string; notes: string[] } | { problem: string };

/**
 * `before` with `edits` applied in order, each replacing the first exact occurrence of its old text (each one
 * with `all`), line endings read as `\n`: what the tools do when the text is found exactly. An edit whose text is
 * not found exactly is a problem, not a guess: the filesystem server would then match it loosely (ignoring
 * indentation), another tool would refuse, and a diff that differs from what runs is worse than none.
 */
export function applyTextEdits(before: string, edits: readonly TextEdit[]): EditedText {
  const original = normalizeLineEndings(before);
  let text = original;
  const notes: string[] = [];
  for (const [index, edit] of edits.entries()) {
    const which = edits.length > 1 ? `Edit ${index + 1}` : 'The edit';
    const oldText = normalizeLineEndings(edit.oldText);
    const newText = normalizeLineEndings(edit.newText);
    if (oldText === '') return { problem: `${which} gives no text to replace.` };
    const count = occurrences(text, oldText);
    if (count === 0) return { problem: `${which}'s text to replace is not in the file exactly as given, so no diff is shown: the tool may match it loosely (ignoring indentation) or refuse.` };
    if (edit.all) {
      text = text.split(oldText).join(newText);
      if (count > 1) notes.push(`${which} replaces all ${count} places its text appears.`);
    } else {
      const at = text.indexOf(oldText);
      text = text.slice(0, at) + newText + text.slice(at + oldText.length);
      if (count > 1) notes.push(`${which}'s text appears ${count} times; the first is shown changed (a tool that wants one place may refuse).`);
    }
  }
  return { before: original, after: text, notes };
}

function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

function occurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + part.length)) count++;
  return count;
}
