import { formatBytes, readMcpContent, type McpContentPart } from '../../shared/mcp-content';

/**
 * What the model reads of a call's result. An MCP result is sent as what it says: its text as text (not
 * escaped inside JSON, which costs a local model's small context and its reading), an embedded resource as its
 * URI and text, a resource link as a line; an image or audio as a line that names it, since its base64 would
 * only fill the context with characters no text model can read. Any other result (a built-in tool's) is JSON.
 */
export function toolResultText(result: unknown): string {
  const mcp = readMcpContent(result);
  if (!mcp) return JSON.stringify(result ?? null);
  const lines = mcp.parts.map(partText);
  // A server should repeat its structured content as text; one that did not is still read.
  if (!mcp.hasText && mcp.structured !== undefined) lines.push(JSON.stringify(mcp.structured));
  return lines.length > 0 ? lines.join('\n') : '(the tool returned no content)';
}

function partText(part: McpContentPart): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'image':
    case 'audio':
      return `[${part.kind}: ${part.mimeType}, ${formatBytes(part.bytes)}; shown to the person in the chat, not sent to the model]`;
    case 'resource': {
      const header = `[resource ${part.uri}${part.mimeType ? ` (${part.mimeType})` : ''}`;
      if (part.text !== undefined) return `${header}]\n${part.text}`;
      return `${header}: ${part.bytes === undefined ? 'no content' : `${formatBytes(part.bytes)} of binary data, not sent to the model`}]`;
    }
    case 'link':
      return `[resource link: ${part.name}, ${part.uri}${part.mimeType ? ` (${part.mimeType})` : ''}${part.description ? `: ${part.description}` : ''}]`;
    case 'unknown':
      return `[a "${part.type}" part, not sent to the model]`;
  }
}
