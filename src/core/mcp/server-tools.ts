import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { stripControlCharsDeep } from '../tools/output-sanitizer';
import { nestsDeeperThan } from '../../shared/json-depth';
import { isResourceMethod, resourceTools } from './resource-tools';
import { keepsAsIs } from './server-prompts';

/** What listing a server's tools needs of its connection: each page's time limit, and the secrets to hide. */
export interface ToolListingServer {
  readonly name: string;
  readonly startupTimeoutMs: number;
  redact<T>(value: T): T;
}

/** A server's tools, and the two that reach its resources when it has any (`resource-tools.ts`). */
export async function listServerTools(client: Client, server: ToolListingServer): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {}, { timeout: server.startupTimeoutMs }).catch((error: unknown) => {
      throw listNotMcp(error) ?? error;
    });
    for (const tool of page.tools) refuseTooDeep(tool);
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor && tools.length < 10_000);
  // A tool named like a resource method (no valid tool name has a `/`) would be taken for one: it is left out.
  // A definition's words are the server's, cleaned like its other output: a server given a secret cannot hand it to
  // the model, the person's screen or the pin file in a description or a schema. A name that holds a secret cannot
  // be hidden and still called: that tool is left out.
  const own = tools
    .filter((tool) => !isResourceMethod(tool.name) && keepsAsIs((text) => server.redact(text), tool.name))
    .map((tool) => ({ ...server.redact(stripControlCharsDeep(tool)), name: tool.name }));
  return client.getServerCapabilities()?.resources ? [...own, ...resourceTools(server.name)] : own;
}

/** How deeply a tool's definition may nest (its input schema's objects and arrays): real ones stay under 30. */
export const MAX_DEFINITION_DEPTH = 256;

/**
 * A definition nested thousands deep (a generated schema, a hostile server) overflowed the stack where Portcullis
 * hashes, cleans or sends it, and the server failed with "Maximum call stack size exceeded": said plainly instead.
 */
function refuseTooDeep(tool: Tool): void {
  if (nestsDeeperThan(tool, MAX_DEFINITION_DEPTH)) {
    throw new Error(`its tool ${JSON.stringify(tool.name)} has a definition nested more than ${MAX_DEFINITION_DEPTH} levels deep (its input schema, most likely), more than Portcullis reads, so none of its tools can be used; its maker can correct it`);
  }
}

/**
 * The SDK refuses a tools/list answer that breaks MCP's schema (a tool whose inputSchema lacks "type": "object") with
 * its validator's issues as many lines of JSON: said in one line, with where in the answer each is.
 */
function listNotMcp(error: unknown): Error | undefined {
  const issues: unknown = (error as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  const said = issues.slice(0, 3).map((issue: { path?: unknown; message?: unknown }) => `${whereIn(issue.path)}: ${String(issue.message)}`);
  const more = issues.length > 3 ? `; ${issues.length - 3} more` : '';
  return new Error(`its list of tools does not follow MCP (${said.join('; ')}${more}), so none of its tools can be used; its maker can correct it`);
}

/** ["tools", 1, "inputSchema", "type"] → tools[1].inputSchema.type */
function whereIn(path: unknown): string {
  if (!Array.isArray(path) || path.length === 0) return 'the answer';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}
