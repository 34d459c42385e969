import { SearchIndex } from '../../core/memory/search-index';
import { CliUsageError, type CommandContext } from '../command';
import { readStoredData } from '../stored-data';

export const searchHelp = `portcullis search [--json] [--data-dir D] "query"
  Full-text search (ranked, with snippets) across conversations, what tools returned and memories; matches are
  in [brackets]. A tool's text is marked untrusted.`;

/**
 * Text for a terminal, on one line: control characters (a line break, or an escape sequence a tool's text may
 * carry to drive the terminal) become spaces, one for one, so a snippet's marks still hold.
 */
const oneLine = (text: string): string => text.replace(/\p{Cc}/gu, ' ');

/** The snippet with each match in [brackets], for a terminal. */
function bracketed(raw: string, marks: ReadonlyArray<readonly [number, number]>): string {
  const snippet = oneLine(raw);
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
  // Read from the database alone: a runtime would create the workspace and more beside it, for a command that reads.
  return readStoredData(values['data-dir'], (db) => {
    const hits = db ? new SearchIndex(db).search(query, { limit: 20, toolResults: true }) : [];
    if (values.json) {
      out(JSON.stringify({ query, hits }));
    } else if (hits.length === 0) {
      out(`Nothing found for "${query}".`);
    } else {
      for (const hit of hits) {
        const conversation = oneLine(hit.conversationTitle ?? 'conversation');
        const where =
          hit.kind === 'memory' ? 'memory' : hit.kind === 'tool_result' ? `${conversation} (result of ${hit.toolName ?? 'a tool'}, untrusted)` : `${conversation} (${hit.author ? oneLine(hit.author) : hit.role})`; // a request a script or a client made, by who
        out(`${where}: ${bracketed(hit.snippet, hit.marks)}`);
      }
    }
    return 0;
  });
}
