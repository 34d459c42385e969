import { FOLDER_WORDS, type PathMention } from './path-mention';

/** Whether a path, relative to the workspace, is a file or folder there ("reports", "docs/plan.md"). */
export type WorkspaceHas = (name: string) => boolean;

// A name is a few words at most ("Q3 reports", "my notes.md"); only a request's last words are looked at, so a
// pasted page asks the disk a bounded number of questions.
const MAX_NAME_WORDS = 5;
const MAX_WORDS_LOOKED_AT = 40;
const NAME_EDGES = /^["'`“(]+|["'`”),:;!?.]+$/g;

/**
 * The path a request names, as the workspace has it, where the words alone leave it open:
 * - a name no slot found, without a slash or extension ("delete reports", "read Makefile"), or with spaces
 *   ("delete Q3 reports"), when the workspace has it;
 * - a file-like word that is the end of a longer name the workspace has ("read my notes.md", "read docs/Q3 plan.md");
 * - a name said to be in a folder ("read plan.md in docs", "delete reports in archive") that is there.
 * The longest such name, then the last; never the request's first word (the verb: a folder named "delete" is not what
 * "delete drafts" names), a word another slot took (`taken`: "write notes with report" keeps its content), nor only
 * words that say "the folder". A quoted name is taken as quoted. Otherwise the mention as it was found, if any.
 */
export function workspacePath(text: string, mention: PathMention | undefined, has: WorkspaceHas, taken: readonly string[]): string | undefined {
  if (mention?.how === 'quoted') return mention.value;
  const folder = mention?.how === 'folder' ? { name: mention.value, clauseAt: mention.at } : mention?.folder;
  // A file-like word: the names that hold it. A folder alone: the names before "in <folder>". Nothing: any name.
  const covers = mention?.how === 'file-like' ? { from: mention.at, to: mention.at + mention.value.length } : undefined;
  const found = namesIn(text, folder?.clauseAt ?? text.length, taken)
    .filter((name) => !covers || (name.from <= covers.from && covers.to <= name.to))
    .flatMap((name) => [...(folder ? [`${folder.name}/${name.text}`] : []), ...(mention?.how === 'folder' ? [] : [name.text])])
    .find(has);
  return found ?? mention?.value;
}

/** The runs of a request's words that could be a name, before `end`, with where they are: the longest first, then the last. */
function namesIn(text: string, end: number, taken: readonly string[]): { text: string; from: number; to: number }[] {
  const takenWords = new Set(taken.flatMap((value) => value.split(/\s+/)));
  const words = [...text.slice(0, end).matchAll(/\S+/g)].slice(1).slice(-MAX_WORDS_LOOKED_AT).map((match) => ({ word: match[0], from: match.index, to: match.index + match[0].length }));
  const names: { text: string; from: number; to: number; length: number }[] = [];
  for (let first = 0; first < words.length; first++) {
    for (let last = first; last < Math.min(words.length, first + MAX_NAME_WORDS); last++) {
      const run = words.slice(first, last + 1);
      if (run.some(({ word }) => takenWords.has(word.replace(NAME_EDGES, ''))) || run.every(({ word }) => FOLDER_WORDS.has(word.replace(NAME_EDGES, '').toLowerCase()))) continue;
      const from = run[0]!.from;
      const to = run.at(-1)!.to;
      const name = text.slice(from, to).replace(NAME_EDGES, '');
      if (isPlainName(name)) names.push({ text: name, from, to, length: run.length });
    }
  }
  return names.sort((a, b) => b.length - a.length || b.from - a.from);
}

/** A name inside the workspace as typed: not absolute, not from the home folder, no step up out of it. */
function isPlainName(name: string): boolean {
  return /^[^/~\s]/.test(name) && !name.split('/').includes('..');
}
