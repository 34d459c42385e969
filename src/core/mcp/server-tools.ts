import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError, PaginatedResultSchema, ToolSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { stripControlChars, stripControlCharsDeep } from '../tools/output-sanitizer';
import { limitInWords } from '../../shared/durations';
import { nestsDeeperThan } from '../../shared/json-depth';
import { MAX_CURSOR_CHARS } from './endless-pages';
import { isResourceMethod, resourceTools } from './resource-tools';
import { keepsAsIs } from './server-prompts';

/** What listing a server's tools needs of its connection: each page's time limit, and the secrets to hide. */
export interface ToolListingServer {
  readonly name: string;
  readonly startupTimeoutMs: number;
  redact<T>(value: T): T;
}

/** A server's tools as listed: those it offers, and one line for each it listed that breaks MCP and is left out. */
export interface ListedTools {
  tools: Tool[];
  leftOut: string[];
}

/**
 * A server's list of tools that no tool of it can be used from (the list is not one, or every tool in it breaks MCP):
 * listing it again finds the same, so it is not restarted on its own (mcp-connection.ts); Restart tries again.
 */
export class ToolListNotMcp extends Error {}

/** How deeply a tool's definition may nest (its input schema's objects and arrays): real ones stay under 30. */
const MAX_DEFINITION_DEPTH = 256;

const NOT_RESTARTED = 'It is not restarted on its own: Restart tries it again';

/**
 * A tool name as MCP has it (SEP-986: 1 to 128 ASCII letters, digits, `_`, `-` and `.`). A name past it is left out:
 * one of a megabyte was pinned, shown on every row and sent to the model with each request, and one with a bidi
 * override, a control character, a space or a letter from another script can be shown as another tool's name.
 */
const MCP_TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** The most tools taken from one server: a page is not bounded, and each tool is checked, pinned and shown. */
const MAX_TOOLS = 10_000;
/** The most left-out tools named one line each on its row: a list of 100,000 `{}` made as many lines. */
const MAX_LEFT_OUT_LINES = 20;
/**
 * The longest definition taken (its JSON), and the most a server's definitions take together: each is pinned, sent
 * with every status to the window and, with every request, to the model. Real ones stay under 30 KB; the largest
 * real servers' lists, under 500 KB. Ten tools with 1 MB descriptions made a 9 MB pin file and 9 MB of every request.
 */
const MAX_DEFINITION_CHARS = 100_000;
const MAX_SERVER_DEFINITION_CHARS = 2_000_000;
/** The most pages of tools read from one list: a server whose every page named a next one kept it "starting" for ever. */
const MAX_PAGES = 1_000;

/**
 * A server's tools, and the two that reach its resources when it has any (`resource-tools.ts`). Each page is read
 * loosely and each tool checked on its own: one tool that breaks MCP's schema (an inputSchema without "type":
 * "object") failed the SDK's parse of the whole list, so the server and all its good tools with it, restarted for good.
 */
export async function listServerTools(client: Client, server: ToolListingServer): Promise<ListedTools> {
  const tools: Tool[] = [];
  const leftOut: Array<{ tool: string; problem: string }> = [];
  const names = new Set<string>();
  // What its definitions take together, and how many tools were left out for passing MAX_SERVER_DEFINITION_CHARS.
  let definitionChars = 0;
  let pastBudget = 0;
  let listed = 0;
  let cursor: string | undefined;
  // A list whose pages never end (a new cursor each time, or one named again) is cut, keeping the tools read so far.
  const cursors = new Set<string>();
  const endsBy = Date.now() + server.startupTimeoutMs;
  let pages = 0;
  let cut: string | null = null;
  const saysItHasTools = client.getServerCapabilities()?.tools !== undefined;
  do {
    const page = await client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, PaginatedResultSchema, { timeout: server.startupTimeoutMs }).catch((error: unknown) => {
      if (pages === 0 && isMethodNotFound(error)) return null;
      throw listNotMcp(error) ?? error;
    });
    // A server with no tools (only prompts or resources, its capabilities say) need not answer tools/list: one that
    // refused it failed to start, restarted for ever. One that says it has tools and refuses to list them is no MCP.
    if (page === null) {
      if (saysItHasTools) throw new ToolListNotMcp(`it says it offers tools, but answered tools/list with "Method not found", so none of its tools can be used; its maker can correct it. ${NOT_RESTARTED}`);
      break;
    }
    pages++;
    const pageTools: unknown = page.tools;
    if (!Array.isArray(pageTools)) throw new ToolListNotMcp(`its answer to tools/list holds no list of tools ("tools" is ${describeType(pageTools)}), so none of its tools can be used; its maker can correct it. ${NOT_RESTARTED}`);
    pageTools.forEach((raw: unknown, index) => {
      if (listed + index >= MAX_TOOLS) return;
      const problem = toolProblem(raw) ?? listedAgain(raw, names);
      const chars = problem === null ? JSON.stringify(raw).length : 0;
      if (problem !== null) leftOut.push({ tool: toolNamed(raw, listed + index, server), problem });
      else if (chars > MAX_DEFINITION_CHARS) leftOut.push({ tool: toolNamed(raw, listed + index, server), problem: `its definition is ${inKilobytes(chars)}, more than the ${inKilobytes(MAX_DEFINITION_CHARS)} Portcullis takes for one tool` });
      else if (definitionChars + chars > MAX_SERVER_DEFINITION_CHARS) pastBudget++;
      else {
        definitionChars += chars;
        tools.push(raw as Tool);
      }
    });
    listed += pageTools.length;
    cursor = page.nextCursor;
    cut = cursor === undefined ? null : pagingCut(cursor, cursors, pages, endsBy, server);
    if (cursor !== undefined) cursors.add(cursor);
  } while (cursor && listed < MAX_TOOLS && cut === null);
  if (listed > 0 && tools.length === 0) {
    const [first] = leftOut;
    throw new ToolListNotMcp(`none of its ${listed} tools can be used: its tool ${first!.tool}: ${first!.problem}${listed > 1 ? `, and ${listed - 1} more likewise left out` : ''}; its maker can correct it. ${NOT_RESTARTED}`);
  }
  // The client checks a call's structuredContent against its tool's outputSchema from what its listTools kept: kept
  // here for the good tools of every page (its listTools, private to it, is what keeps them).
  (client as unknown as { cacheToolMetadata?(tools: Tool[]): void }).cacheToolMetadata?.(tools);
  // A tool named like a resource method (no valid tool name has a `/`) would be taken for one: it is left out.
  // A definition's words are the server's, cleaned like its other output: a server given a secret cannot hand it to
  // the model, the person's screen or the pin file in a description or a schema. A name that holds a secret cannot
  // be hidden and still called: that tool is left out.
  const own = tools
    .filter((tool) => !isResourceMethod(tool.name) && keepsAsIs((text) => server.redact(text), tool.name))
    .map((tool) => ({ ...server.redact(stripControlCharsDeep(tool)), name: tool.name }));
  const offered = client.getServerCapabilities()?.resources ? [...own, ...resourceTools(server.name)] : own;
  const lines = leftOutLines(leftOut, listed);
  if (pastBudget > 0) lines.push(`${pastBudget.toLocaleString('en-US')} of its tools are left out: with them, its tools' definitions would pass the ${inKilobytes(MAX_SERVER_DEFINITION_CHARS)} Portcullis takes from one server.`);
  return { tools: offered, leftOut: cut ? [...lines, cut] : lines };
}

/** Why paging a list of tools stops before its last page, in one line for its row, or null while it may go on. */
function pagingCut(next: string, seen: ReadonlySet<string>, pages: number, endsBy: number, server: ToolListingServer): string | null {
  const { startupTimeoutMs } = server;
  const taken = `so Portcullis stopped paging it and took the tools of those ${pages.toLocaleString('en-US')} pages`;
  // Each is kept (to tell one named again) and sent back: one of megabytes, a thousand times, was gigabytes.
  if (next.length > MAX_CURSOR_CHARS) return `Its list of tools named its next page with ${next.length.toLocaleString('en-US')} characters, more than the ${MAX_CURSOR_CHARS.toLocaleString('en-US')} Portcullis sends back, ${taken}; its maker can correct it.`;
  if (seen.has(next)) return `Its list of tools named the page ${shownWords(next, server)} a second time, ${taken}; its maker can correct it.`;
  if (pages >= MAX_PAGES) return `Its list of tools had not ended after ${MAX_PAGES.toLocaleString('en-US')} pages, ${taken}; its maker can correct it.`;
  if (Date.now() >= endsBy) return `Its list of tools took longer than its startup limit of ${limitInWords(startupTimeoutMs)} to page through, ${taken}; "startupTimeoutMs" in mcp.json gives it longer.`;
  return null;
}

/** Why a tool is left out for repeating an earlier one's name, or null (its name is noted as taken). */
function listedAgain(raw: unknown, names: Set<string>): string | null {
  const { name } = raw as Tool;
  if (!names.has(name)) {
    names.add(name);
    return null;
  }
  return 'it is listed a second time (the first tool of that name is taken)';
}

/** One line for each of the first left-out tools, one for the rest, and one for the tools past MAX_TOOLS. */
function leftOutLines(leftOut: ReadonlyArray<{ tool: string; problem: string }>, listed: number): string[] {
  const lines = leftOut.slice(0, MAX_LEFT_OUT_LINES).map(({ tool, problem }) => `Its tool ${tool} is left out: ${problem}; its maker can correct it.`);
  const more = leftOut.length - MAX_LEFT_OUT_LINES;
  if (more > 0) lines.push(`${more} more of its tools are left out as not following MCP; its maker can correct them.`);
  if (listed > MAX_TOOLS) lines.push(`Its tools after the first ${MAX_TOOLS.toLocaleString('en-US')} are left out (${(listed - MAX_TOOLS).toLocaleString('en-US')} of them): Portcullis takes at most ${MAX_TOOLS.toLocaleString('en-US')} from one server.`);
  return lines;
}

/**
 * Why one listed tool cannot be used, in one line, or null when it can. A definition nested thousands deep (a
 * generated schema, a hostile server) overflowed the stack where Portcullis hashes, cleans or sends it: measured first.
 */
function toolProblem(raw: unknown): string | null {
  if (nestsDeeperThan(raw, MAX_DEFINITION_DEPTH)) return `its definition nests more than ${MAX_DEFINITION_DEPTH} levels deep (its input schema, most likely), more than Portcullis reads`;
  const parsed = ToolSchema.safeParse(raw);
  if (!parsed.success) return `it does not follow MCP (${firstIssues(parsed.error.issues, 'its definition')})`;
  const { name } = parsed.data;
  if (MCP_TOOL_NAME.test(name)) return null;
  return name.length > 128
    ? `its name is ${name.length.toLocaleString('en-US')} characters long, where MCP allows at most 128`
    : 'its name holds characters MCP does not allow in one (only A-Z, a-z, 0-9, _, - and .)';
}

/** A left-out tool as its line names it: its name as `shownWords` quotes it, else where it is in the list. */
function toolNamed(raw: unknown, index: number, server: ToolListingServer): string {
  const name: unknown = (raw as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name.trim() === '') return `tools[${index}] (no name)`;
  return shownWords(name, server);
}

/**
 * A server's words quoted in a line of its row: cleaned, its secrets hidden before they are cut to 100 characters (a
 * secret cut short is no longer found whole), and what is not printable ASCII written as an escape (\u202e), so a
 * bidi override cannot turn the line around.
 */
function shownWords(text: string, server: ToolListingServer): string {
  const shown = JSON.stringify(server.redact(stripControlChars(text)).slice(0, 100));
  return shown.replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function inKilobytes(chars: number): string {
  return `${Math.ceil(chars / 1_000).toLocaleString('en-US')} KB`;
}

function isMethodNotFound(error: unknown): boolean {
  return error instanceof McpError && error.code === ErrorCode.MethodNotFound;
}

function describeType(value: unknown): string {
  return value === undefined ? 'missing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * The SDK refuses a tools/list answer that is not a result (a "nextCursor" that is no string) with its validator's
 * issues as many lines of JSON: said in one line, with where in the answer each is.
 */
function listNotMcp(error: unknown): Error | undefined {
  const issues: unknown = (error as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  return new ToolListNotMcp(`its list of tools does not follow MCP (${firstIssues(issues, 'the answer')}), so none of its tools can be used; its maker can correct it. ${NOT_RESTARTED}`);
}

/** A validator's first three issues, each with where in `whole` it is, and how many more there are. */
function firstIssues(issues: ReadonlyArray<{ path?: unknown; message?: unknown }>, whole: string): string {
  const said = issues.slice(0, 3).map((issue) => `${whereIn(issue.path, whole)}: ${String(issue.message)}`);
  const more = issues.length > 3 ? `; ${issues.length - 3} more` : '';
  return `${said.join('; ')}${more}`;
}

/** ["tools", 1, "inputSchema", "type"] → tools[1].inputSchema.type */
function whereIn(path: unknown, whole: string): string {
  if (!Array.isArray(path) || path.length === 0) return whole;
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}
