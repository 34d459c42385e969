import type { ApprovalRequest } from '../../../shared/domain/approval';
import { counted } from '../../../shared/counted';
import { applyTextEdits, fileEditsOf, type FileEdits } from '../../../shared/file-edits';
import { LineDiff } from '../../lib/LineDiff';
import { prettyJson } from '../../../shared/pretty-json';
import { shownPath } from '../../../shared/shown-path';
import { webAddressesIn } from '../../../shared/web-address';

/** More web addresses than this would crowd the dialog; the full arguments are below them. */
const MAX_URLS_SHOWN = 5;

function fileWrite(args: unknown): { path: string; content: string } | null {
  if (args === null || typeof args !== 'object') return null;
  const { path, content } = args as Record<string, unknown>;
  return typeof path === 'string' && typeof content === 'string' ? { path, content } : null;
}

/**
 * The full arguments of a call. A file write shows a diff against what the file holds now (or the whole new
 * file), a file edit (`fileEditsOf`) the diff its edits make; any argument that is a web address, whatever its
 * name, shows its full URL with the domain highlighted.
 */
export function ArgumentsPreview({ request, args }: { request: Pick<ApprovalRequest, 'toolName' | 'fileBefore'>; args: unknown }) {
  const write = fileWrite(args);
  if (write && (request.fileBefore || request.toolName === 'fs.write')) return <WritePreview write={write} file={request.fileBefore} args={args} />;
  const edits = fileEditsOf(args);
  if (edits && request.fileBefore?.path === edits.path) return <EditPreview edits={edits} file={request.fileBefore} args={args} />;
  if (write) return <UnreadFileWritePreview write={write} args={args} />;
  if (edits) return <UnreadFileEditPreview edits={edits} args={args} />;
  return (
    <div className="args-preview" data-testid="approval-arguments">
      {webAddressesIn(args, MAX_URLS_SHOWN).map(({ argument, url }) => (
        <p key={url.href} className="detail-label" data-testid="approval-url">
          Reaches{' '}
          <code>
            {url.protocol}//<mark className="url-host">{url.hostname}</mark>
            {url.port ? `:${url.port}` : ''}
            {url.pathname}
            {url.search}
          </code>
          {argument === 'url' ? '' : ` (in ${argument})`}
        </p>
      ))}
      <p className="detail-label">Arguments</p>
      <pre className="json">{prettyJson(args)}</pre>
    </div>
  );
}

type FileBefore = ApprovalRequest['fileBefore'];

const LONG_FILE = ' (the current file is long; its first 256 KB are compared)';

/** What a binary file looks like, in the words fs.read's refusal uses. */
const notText = (binary: string | null): string => (binary ? `it is ${binary}` : 'it holds binary data');

/** A UTF-16 file's text is compared as fs.read reads it; written, it becomes UTF-8, which the diff alone would not say. */
function Utf16Note({ file, written }: { file: FileBefore; written: boolean }) {
  if (!file?.encoding) return null;
  return (
    <p className="muted" data-testid="approval-encoding">
      <code>{shownPath(file.path)}</code> is UTF-16 text (as Excel saves &quot;Unicode text&quot;), compared here as read.{' '}
      {written ? 'The write saves it as UTF-8.' : 'A tool that reads files as UTF-8, as most MCP servers do, may not find the text these edits replace.'}
    </p>
  );
}

/**
 * The headings name the file as the title does (`shownPath`: `..` resolved, invisible characters spelled out), not
 * the raw argument, which the page draws with its spaces folded. `fileBefore.path` is the raw argument the file was
 * read for, so it is compared raw.
 */
function WritePreview({ write, file, args }: { write: { path: string; content: string }; file: FileBefore; args: unknown }) {
  if (file?.path === write.path && file.binary !== undefined) {
    // No text to compare with: said as such, not as a new file nor as a diff of bytes decoded as text.
    return (
      <div className="args-preview" data-testid="approval-arguments">
        <p className="detail-label">
          Replaces <code>{shownPath(write.path)}</code>, which is not a text file ({notText(file.binary)}), so no diff is shown. It will contain (
          {counted(write.content.length, 'character')}):
        </p>
        <pre className="json file-content">{write.content === '' ? '(empty file)' : write.content}</pre>
        <AllArguments args={args} />
      </div>
    );
  }
  const before = file?.path === write.path ? file.content : undefined;
  const changes = before != null;
  // A diff of nothing but "⋯ 4 unchanged lines" reads as if something were hidden: say that nothing changes.
  const same = changes && before === write.content && !file?.truncated;
  if (same) {
    return (
      <div className="args-preview" data-testid="approval-arguments">
        <p className="detail-label">
          {file?.encoding ? 'No change to its text: ' : 'No change: '}
          <code>{shownPath(write.path)}</code> already holds exactly this text.
        </p>
        <Utf16Note file={file} written />
        <AllArguments args={args} />
      </div>
    );
  }
  return (
    <div className="args-preview" data-testid="approval-arguments">
      <p className="detail-label">
        {changes ? (
          <>
            Changes to <code>{shownPath(write.path)}</code>
            {file?.truncated ? LONG_FILE : ''}:
          </>
        ) : (
          <>
            New file <code>{shownPath(write.path)}</code> will contain ({counted(write.content.length, 'character')}):
          </>
        )}
      </p>
      {changes ? <LineDiff before={before} after={write.content} testId="approval-diff" /> : <pre className="json file-content">{write.content === '' ? '(empty file)' : write.content}</pre>}
      {changes ? <Utf16Note file={file} written /> : null}
      <AllArguments args={args} />
    </div>
  );
}

/**
 * A server's write to a file Portcullis did not read for the dialog (outside the workspace: a pasted Claude Desktop
 * `filesystem` server's folder): no diff, but the text it gets shown as text, where the arguments' JSON drew a
 * file of many lines as one line of `\n`s.
 */
function UnreadFileWritePreview({ write, args }: { write: { path: string; content: string }; args: unknown }) {
  return (
    <div className="args-preview" data-testid="approval-arguments">
      <p className="detail-label">
        <code>{shownPath(write.path)}</code> is given this text ({counted(write.content.length, 'character')}); what it holds now is not shown, as
        Portcullis reads only files in the workspace for a diff:
      </p>
      <pre className="json file-content">{write.content === '' ? '(empty file)' : write.content}</pre>
      <AllArguments args={args} />
    </div>
  );
}

/**
 * An edit of a file Portcullis did not read for the dialog (outside the workspace): no diff of the file, but each
 * replacement as the lines it takes out and puts in, where the arguments' JSON drew them as lines of `\n`s.
 */
function UnreadFileEditPreview({ edits, args }: { edits: FileEdits; args: unknown }) {
  return (
    <div className="args-preview" data-testid="approval-arguments">
      <p className="detail-label">
        {counted(edits.edits.length, 'replacement')} in <code>{shownPath(edits.path)}</code>
        {edits.dryRun ? ' (a dry run: the server only shows its diff, and writes nothing)' : ''}; the file itself is not shown, as Portcullis reads
        only files in the workspace for a diff:
      </p>
      {edits.edits.map((edit, index) => (
        <div key={index}>
          {edit.all && <p className="muted">Every occurrence:</p>}
          <LineDiff before={edit.oldText} after={edit.newText} testId="approval-edit" />
        </div>
      ))}
      <AllArguments args={args} />
    </div>
  );
}

/** An edit in place: the diff its replacements make, or why none is shown (the raw edits are one click away). */
function EditPreview({ edits, file, args }: { edits: FileEdits; file: NonNullable<FileBefore>; args: unknown }) {
  const applied =
    file.content === null
      ? { problem: `There is no file ${shownPath(edits.path)} to edit.` }
      : file.binary !== undefined
        ? { problem: `${shownPath(edits.path)} is not a text file (${notText(file.binary)}): there is no text to edit.` }
        : applyTextEdits(file.content, edits.edits);
  const outcome = 'problem' in applied && file.truncated ? { problem: `${applied.problem} Only the file's first 256 KB were read.` } : applied;
  return (
    <div className="args-preview" data-testid="approval-arguments">
      <p className="detail-label">
        Changes to <code>{shownPath(edits.path)}</code>
        {file.truncated ? LONG_FILE : ''}
        {edits.dryRun ? ' (a dry run: the server only shows this diff, and writes nothing)' : ''}:
      </p>
      {'problem' in outcome ? (
        <p className="approval-error" data-testid="approval-diff-problem">
          {outcome.problem}
        </p>
      ) : (
        <>
          <LineDiff before={outcome.before} after={outcome.after} testId="approval-diff" />
          {outcome.notes.map((note) => (
            <p key={note} className="muted">
              {note}
            </p>
          ))}
        </>
      )}
      <Utf16Note file={file} written={false} />
      <AllArguments args={args} />
    </div>
  );
}

function AllArguments({ args }: { args: unknown }) {
  return (
    <details>
      <summary>All arguments</summary>
      <pre className="json">{prettyJson(args)}</pre>
    </details>
  );
}
