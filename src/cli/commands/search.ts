import { CliUsageError, type CommandContext } from '../command';
import { createNodeRuntime } from '../node-runtime';

export const searchHelp = `portcullis search [--json] [--data-dir D] "query"
  Full-text search (ranked, with snippets) across conversations and memories; matches are in [brackets].`;

/** The snippet with each match in [brackets], for a terminal. */
function bracketed(snippet: string, marks: ReadonlyArray<readonly [number, number]>): string {
  let out = '';
  let at = 0;
  for (const [start, end] of marks) {
    out += `${snippet.slice(at, start)}[${snippet.slice(start, end)}]`;
    at = end;
  }
  return out + snippet.slice(at);
}

export async function searchCommand({ values, positionals, out }: CommandContext): Promise<number> {
  const query = positionals.join(' ').trim();
  if (!query) throw new CliUsageError('Say what to search for, e.g. portcullis search "groceries".');
  // No MCP server is needed to read the database; started, they were second copies of the running app's.
  const runtime = createNodeRuntime({ dataDir: values['data-dir'], workspace: values.workspace, mcp: false });
  try {
    const hits = await runtime.handlers['search.query']({ query, limit: 20 });
    if (values.json) {
      out(JSON.stringify({ query, hits }));
    } else if (hits.length === 0) {
      out(`Nothing found for "${query}".`);
    } else {
      for (const hit of hits) {
        const where = hit.kind === 'memory' ? 'memory' : `${hit.conversationTitle ?? 'conversation'} (${hit.role})`;
        out(`${where}: ${bracketed(hit.snippet, hit.marks)}`);
      }
    }
    return 0;
  } finally {
    await runtime.dispose();
  }
}
