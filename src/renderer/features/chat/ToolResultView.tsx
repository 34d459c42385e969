import { formatBytes, readMcpContent, type McpContentPart } from '../../../shared/mcp-content';
import { prettyJson } from '../../../shared/pretty-json';
import { fileResultText } from './file-result-text';

// Raster formats only: an SVG is a document, and the server that sent it is not trusted.
const SHOWN_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * A call's result as what it is: an MCP result part by part (text as text, images as images, resources and
 * links named), a file's text (a built-in read) as text, each with the JSON behind it a click away; any other
 * result as JSON.
 */
export function ToolResultView({ result, toolName }: { result: unknown; toolName: string }) {
  const mcp = readMcpContent(result);
  const file = mcp ? undefined : fileResultText(result);
  if (file) {
    return (
      <div className="tool-result" data-testid="tool-result">
        {file.path !== undefined && (
          <p className="detail-label">
            Text of <code>{file.path}</code>
          </p>
        )}
        <pre className="json tool-result-text">{file.content}</pre>
        <details className="tool-result-raw">
          <summary>As JSON</summary>
          <pre className="json">{prettyJson(result)}</pre>
        </details>
      </div>
    );
  }
  if (!mcp) return <pre className="json">{prettyJson(result)}</pre>;
  return (
    <div className="tool-result" data-testid="tool-result">
      {mcp.parts.length === 0 && mcp.structured === undefined && <p className="muted">The tool returned no content.</p>}
      {mcp.parts.map((part, index) => (
        <ResultPart key={index} part={part} toolName={toolName} />
      ))}
      {!mcp.hasText && mcp.structured !== undefined && <pre className="json">{prettyJson(mcp.structured)}</pre>}
      <details className="tool-result-raw">
        <summary>As JSON</summary>
        <pre className="json">{prettyJson(result)}</pre>
      </details>
    </div>
  );
}

function ResultPart({ part, toolName }: { part: McpContentPart; toolName: string }) {
  switch (part.kind) {
    case 'text':
      return <pre className="json tool-result-text">{part.text}</pre>;
    case 'image':
      return SHOWN_IMAGE_TYPES.has(part.mimeType) ? (
        <img className="tool-result-image" src={`data:${part.mimeType};base64,${part.data}`} alt={`Image from ${toolName} (${part.mimeType}, ${formatBytes(part.bytes)})`} />
      ) : (
        <p className="muted">
          An image ({part.mimeType}, {formatBytes(part.bytes)}) that Portcullis does not show.
        </p>
      );
    case 'audio':
      return (
        <p className="muted">
          Audio ({part.mimeType}, {formatBytes(part.bytes)}).
        </p>
      );
    case 'resource':
      return (
        <div>
          <p className="detail-label">
            Resource <code>{part.uri}</code>
            {part.mimeType && ` (${part.mimeType})`}
          </p>
          {part.text !== undefined ? (
            <pre className="json tool-result-text">{part.text}</pre>
          ) : (
            <p className="muted">{part.bytes === undefined ? 'No content.' : `${formatBytes(part.bytes)} of binary data.`}</p>
          )}
        </div>
      );
    case 'link':
      // Shown, not followed: the address is the server's word.
      return (
        <p>
          Link to a resource: {part.name} <code>{part.uri}</code>
          {part.mimeType && ` (${part.mimeType})`}
          {part.description && `: ${part.description}`}
        </p>
      );
    case 'unknown':
      return <p className="muted">A part of a kind Portcullis does not know (&quot;{part.type}&quot;).</p>;
  }
}
