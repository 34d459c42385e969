import { unfenceUntrusted } from '../../taint/untrusted-fence';
import type { ModelMessage } from '../model-provider';
import { fenced } from '../../../shared/code-fence';
import { counted } from '../../../shared/counted';
import { denialNote } from '../../../shared/tool-call-words';
import type { SearchResult } from '../../sandbox/fs-search';
import { describeMemoryResult } from './memory-replies';

type ToolMessage = Extract<ModelMessage, { role: 'tool' }>;

interface ListResult {
  path: string;
  entries: { name: string; type: string; size: number | null }[];
  truncated: boolean;
}

function parse(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

function describeSearch(result: SearchResult): string {
  const where = result.path === '.' ? 'your workspace' : `"${result.path}"`;
  if (result.matches.length === 0) return `Nothing in ${where} mentions "${result.query}".`;
  const lines = result.matches.map((m) => (m.line === null ? `- ${m.path} (its name)` : `- ${m.path}, line ${m.line}: ${m.text}`));
  const notes = [
    result.truncated ? 'There may be more: the search stopped at its limit.' : '',
    result.skipped.notReadable > 0 ? `Searched by name only: ${counted(result.skipped.notReadable, 'file')} the policy keeps from reading.` : '',
  ].filter(Boolean);
  return [`Found "${result.query}" in ${where}:`, ...lines, ...notes.map((note) => `(${note})`)].join('\n');
}

/** Turns one tool result into the plain sentence the built-in model replies with. */
export function describeToolResult(message: ToolMessage): string {
  const unfenced = unfenceUntrusted(message.content);
  const value = parse(unfenced ?? message.content) as Record<string, unknown>;
  if (message.isError) {
    const code = typeof value?.code === 'string' ? value.code : '';
    const why = typeof value?.message === 'string' ? value.message : message.content;
    // Said to the person who decided: "You denied…", not what the call was told ("The person denied fs.write.").
    // Denied by a script's --approve or a key: said as the call was told it, not as the person's.
    if (code === 'APPROVAL_REJECTED') {
      const note = denialNote(why);
      const byPerson = why.startsWith('The person denied ');
      const noted = note === null ? '' : ` ${byPerson ? 'Your note' : 'Note'}: “${note}”`;
      if (!byPerson) return `${why.split('. Note: "')[0]!.replace(/\.$/, '')}, so nothing was done.${noted}`;
      return `You denied ${message.toolName}, so nothing was done.${noted}`;
    }
    if (code === 'APPROVAL_TIMEOUT') return `No one answered the request to run ${message.toolName} in time, so it was denied and nothing was done.`;
    if (code === 'POLICY_DENIED') return `The ${message.toolName} call was denied, so nothing was done. ${why}`;
    // A tool's own error often opens with "<tool> failed: " already (http.fetch's): said once.
    const own = `${message.toolName} failed: `;
    return `The ${message.toolName} call failed: ${why.startsWith(own) ? why.slice(own.length) : why}`;
  }
  switch (message.toolName) {
    case 'fs.list': {
      const list = value as unknown as ListResult;
      const where = list.path === '.' ? 'your workspace' : `"${list.path}"`;
      if (list.entries.length === 0) return `There are no files in ${where}.`;
      const lines = list.entries.map((e) => `- ${e.name}${e.type === 'directory' ? '/' : ''}${e.size === null ? '' : ` (${e.size} bytes)`}`);
      const more = list.truncated ? '\n(The list was cut short.)' : '';
      return `Here are the files in ${where}:\n${lines.join('\n')}${more}`;
    }
    case 'fs.read':
      // In a code block: the reply is drawn as Markdown, and a file's text is not the model's to format.
      return `Here is "${String(value.path)}":\n\n${fenced(String(value.content))}`;
    case 'fs.delete':
      if (value.deleted === 'folder') return `Deleted the empty folder "${String(value.path)}".`;
      if (value.deleted === 'link') return `Deleted the link "${String(value.path)}"; what it pointed to is untouched.`;
      return `Deleted "${String(value.path)}".`;
    case 'fs.search':
      return describeSearch(value as unknown as SearchResult);
    case 'fs.write':
      return `${value.created ? 'Created' : 'Replaced'} "${String(value.path)}" (${String(value.bytesWritten)} bytes written).`;
    default:
      // An MCP result reaches the model as its text (toolResultText); the fence's escape is undone for the person.
      return (
        describeMemoryResult(message.toolName, value) ??
        `${message.toolName} returned${unfenced === undefined ? '' : ' this, which Portcullis treats as untrusted'}:\n\n${fenced((unfenced ?? message.content).replaceAll('\\u003c', '<'))}`
      );
  }
}
