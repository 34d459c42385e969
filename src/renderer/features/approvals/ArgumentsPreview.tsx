import type { ApprovalRequest } from '../../../shared/domain/approval';
import { prettyJson } from '../../lib/format';
import { LineDiff } from '../../lib/LineDiff';

function fileWrite(args: unknown): { path: string; content: string } | null {
  if (args === null || typeof args !== 'object') return null;
  const { path, content } = args as Record<string, unknown>;
  return typeof path === 'string' && typeof content === 'string' ? { path, content } : null;
}

function urlOf(args: unknown): URL | null {
  if (args === null || typeof args !== 'object') return null;
  const { url } = args as Record<string, unknown>;
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The full arguments of a call. A file write shows a diff against what the file holds now (or the whole new
 * file); a network call shows its full URL with the domain highlighted.
 */
export function ArgumentsPreview({ request, args }: { request: Pick<ApprovalRequest, 'toolName' | 'fileBefore'>; args: unknown }) {
  const write = fileWrite(args);
  const url = urlOf(args);
  if (write && (request.fileBefore || request.toolName === 'fs.write')) {
    const before = request.fileBefore?.path === write.path ? request.fileBefore.content : undefined;
    const changes = before != null;
    return (
      <div className="args-preview" data-testid="approval-arguments">
        <p className="detail-label">
          {changes ? (
            <>
              Changes to <code>{write.path}</code>{request.fileBefore?.truncated ? ' (the current file is long; its first 256 KB are compared)' : ''}:
            </>
          ) : (
            <>
              New file <code>{write.path}</code> will contain ({write.content.length} characters):
            </>
          )}
        </p>
        {changes ? (
          <LineDiff before={before} after={write.content} testId="approval-diff" />
        ) : (
          <pre className="json file-content">{write.content === '' ? '(empty file)' : write.content}</pre>
        )}
        <details>
          <summary>All arguments</summary>
          <pre className="json">{prettyJson(args)}</pre>
        </details>
      </div>
    );
  }
  return (
    <div className="args-preview" data-testid="approval-arguments">
      {url && (
        <p className="detail-label" data-testid="approval-url">
          Reaches{' '}
          <code>
            {url.protocol}//<mark className="url-host">{url.hostname}</mark>
            {url.port ? `:${url.port}` : ''}
            {url.pathname}
            {url.search}
          </code>
        </p>
      )}
      <p className="detail-label">Arguments</p>
      <pre className="json">{prettyJson(args)}</pre>
    </div>
  );
}
