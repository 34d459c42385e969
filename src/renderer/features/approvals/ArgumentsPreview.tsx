import { prettyJson } from '../../lib/format';

function fileWrite(args: unknown): { path: string; content: string } | null {
  if (args === null || typeof args !== 'object') return null;
  const { path, content } = args as Record<string, unknown>;
  return typeof path === 'string' && typeof content === 'string' ? { path, content } : null;
}

/** The full arguments of a call; a file write shows its path and the exact content it will write. */
export function ArgumentsPreview({ toolName, args }: { toolName: string; args: unknown }) {
  const write = toolName === 'fs.write' ? fileWrite(args) : null;
  if (write) {
    return (
      <div className="args-preview" data-testid="approval-arguments">
        <p className="detail-label">
          File <code>{write.path}</code> will contain ({write.content.length} characters):
        </p>
        <pre className="json file-content">{write.content === '' ? '(empty file)' : write.content}</pre>
        <details>
          <summary>All arguments</summary>
          <pre className="json">{prettyJson(args)}</pre>
        </details>
      </div>
    );
  }
  return (
    <div className="args-preview" data-testid="approval-arguments">
      <p className="detail-label">Arguments</p>
      <pre className="json">{prettyJson(args)}</pre>
    </div>
  );
}
