import { isExclusion, toolGlobList } from '../core/tools/tool-glob-list';

/** The most patterns one URL may pick tools by, and the longest the list may be. */
const MAX_PATTERNS = 50;
const MAX_LENGTH = 2_000;

export interface ToolSelection {
  /** Whether the session offers this tool (by Portcullis' name, `filesystem.read_text_file`). */
  picks(name: string): boolean;
  /** The patterns as given, for the words of a refusal. */
  said: string;
}

/**
 * The tools an MCP client's `/mcp` URL picks (`/mcp?tools=filesystem.*,fs.read`): globs on Portcullis' names, as a
 * policy rule's `tool` takes them. Each client's entry then offers its model only what it needs, within the few
 * dozen tools some clients take at most (Cursor warns past 40 and drops the rest). It narrows what the session
 * offers and nothing more: what a call may do is still the key's scope and the policy's. Null: every tool.
 */
export function toolSelection(url: string | undefined): ToolSelection | null {
  const said = new URL(url ?? '/', 'http://x').searchParams.get('tools');
  if (said === null || said.trim() === '') return null;
  if (said.length > MAX_LENGTH) throw new RangeError(`The tools a /mcp URL picks are at most ${MAX_LENGTH} characters.`);
  const patterns = said.split(',').map((pattern) => pattern.trim()).filter((pattern) => pattern !== '');
  if (patterns.length > MAX_PATTERNS) throw new RangeError(`A /mcp URL picks tools by at most ${MAX_PATTERNS} patterns.`);
  // A `!glob` takes tools out of those the others pick (as --approve and a key's tools read it); alone it picks none.
  if (patterns.length > 0 && patterns.every(isExclusion)) {
    throw new RangeError(`A /mcp URL's !glob only takes tools out of those the others pick (?tools=${patterns.join(',')} picks none): name the tools too, e.g. /mcp?tools=memory.*,!memory.delete_entities.`);
  }
  const picked = toolGlobList(patterns);
  return { picks: (name) => picked(name) !== null, said: patterns.join(',') };
}
