import type { SlotKind, SlotSpec } from './intent-catalogue';

const URL = /\bhttps?:\/\/[^\s"'`<>]+[^\s"'`<>.,;:!?)]/i;
const QUOTED = /"([^"]*)"|“([^”]*)”|`([^`]*)`|'([^']+)'/;
// A name with an extension, a path with a slash, or a dotfile (".env", ".gitignore": a dot, then a letter).
const FILE_LIKE = /(?:^|[\s"'`(])((?:\.{0,2}\/)?[\w.-]*[\w-]\.[a-z0-9]{1,6}|(?:\.{1,2}|[\w-]+)\/[\w./-]*[\w-]|\.[a-z][\w.-]*[\w-])(?=$|[\s"'`),:;!?]|\.(?:\s|$))/i;
const FOLDER = /\b(?:in|of|under|inside|within)\s+(?:the\s+)?(?:folder|directory|dir)?\s*["'`]?([\w./-]+?)["'`]?\s*(?:folder|directory|dir)?\s*[?.!]?$/i;
const FOLDER_WORDS = new Set(['workspace', 'my', 'the', 'this', 'here', 'folder', 'directory', 'dir', 'it', 'there', 'root', 'project', 'files']);
const CONTENT_AFTER = /\b(?:with|containing|saying|that says|reading)\s+(?:the\s+)?(?:content|contents|text|words?)?\s*:?\s*([\s\S]+)$/i;
const CONTENT_BEFORE = /^(?:please\s+)?(?:write|save|put|append|add|store)\s+([\s\S]+?)\s+(?:to|into|in)\s+(?:the\s+)?(?:file\s+)?\S+\s*$/i;
const FACT_AFTER = /\b(?:remember|memorize|memorise|note|keep in mind|don't forget|do not forget)\s+(?:that\s+)?([\s\S]+)$/i;
// What a memory to forget is about, most telling first: "forget that I like tea", "the memory about the invoice",
// "the memory of my dentist", then whatever follows the verb ("forget my locker number").
const SUBJECT_PATTERNS = [
  /\b(?:forget|remembering|memory|memories|fact)\s+that\s+([\s\S]+)$/i,
  /\b(?:about|regarding|concerning|mentioning)\s+([\s\S]+)$/i,
  /\bmemor(?:y|ies)\s+(?:of|on|for)\s+([\s\S]+)$/i,
  /\b(?:forget|unlearn)\s+([\s\S]+)$/i,
  /\b(?:delete|remove|erase|wipe|drop|clear)\s+(?:the\s+|your\s+)?(?:memory|memories|fact)\s*:?\s+([\s\S]+)$/i,
];
// "… from your memory" and "please" say how, not what. A leading "the" or "my" goes too: the search wants every word,
// and "my dentist" would miss a memory saved as "Dentist: Dr. Okafor".
const SUBJECT_TAIL = /(?:\s+(?:(?:from|in|out of)\s+(?:your\s+)?(?:long[- ]term\s+)?memor(?:y|ies)|please|for me|now|anymore))+\s*[.!?]?$/i;
const SUBJECT_HEAD = /^(?:the|a|an|my|our|your)\s+/i;
// "Forget it" names nothing the built-in model can find without the conversation: it asks what instead.
const SUBJECT_NAMES_NOTHING = /^(?:it|that|this|them|those|these|everything|something|all(?: of)?(?: (?:it|that|this|them))?)$/i;
// Quotes, but an apostrophe only as one: "that I don't like Bob's cat" quotes nothing.
const SUBJECT_QUOTED = /"([^"]*)"|“([^”]*)”|`([^`]*)`|(?:^|\s)'([^']+)'(?=$|[\s.,;:!?])/;
const QUERY_AFTER = /\b(?:for|mentioning|containing|mention|about|named|called|with the word|matching)\s+([\s\S]+?)\s*(?:\b(?:in|across|inside)\b[\s\S]*)?[?.!]?$/i;

// A bare name: one word of letters, digits, dots, dashes or underscores ("reports", "Q3-draft"), no slash.
const BARE_NAME = /^\w[\w.-]*$/;
const BARE_NAME_EDGES = /^["'`“(]+|["'`”),:;!?.]+$/g;

/** Whether a bare name is a file or folder at the top of the workspace. */
export type WorkspaceHas = (name: string) => boolean;

/**
 * A word of the request that names a file or folder at the top of the workspace ("delete reports"): a path needs
 * no slash or extension when it is there. The last such word, and never the first, the verb (a folder named "delete"
 * is not what "delete drafts" names); never a word another slot took ("write notes with report" keeps its content),
 * nor one of the words that only say "the folder".
 */
function workspaceName(text: string, has: WorkspaceHas, taken: readonly string[]): string | undefined {
  const takenWords = new Set(taken.flatMap((value) => value.split(/\s+/)));
  for (const word of text.split(/\s+/).slice(1).reverse()) {
    const name = word.replace(BARE_NAME_EDGES, '');
    if (!BARE_NAME.test(name) || takenWords.has(name) || FOLDER_WORDS.has(name.toLowerCase())) continue;
    if (has(name)) return name;
  }
  return undefined;
}

function unquote(text: string): string {
  const trimmed = text.trim().replace(/[.!?]$/, '');
  const match = /^(["'`“])([\s\S]*)(["'`”])$/.exec(trimmed);
  return match ? match[2]! : trimmed;
}

function stripUrls(text: string): string {
  return text.replace(new RegExp(URL.source, 'gi'), ' ');
}

const extractors: Record<SlotKind, (text: string) => string | undefined> = {
  url: (text) => URL.exec(text)?.[0],
  path: (text) => {
    const withoutUrls = stripUrls(text);
    const file = FILE_LIKE.exec(withoutUrls)?.[1];
    if (file) return file;
    const quoted = QUOTED.exec(withoutUrls);
    if (quoted) return quoted.slice(1).find((g) => g !== undefined);
    const folder = FOLDER.exec(withoutUrls)?.[1];
    return folder && !FOLDER_WORDS.has(folder.toLowerCase()) ? folder : undefined;
  },
  content: (text) => {
    const after = CONTENT_AFTER.exec(text)?.[1];
    if (after) return unquote(after);
    const quoted = QUOTED.exec(text);
    if (quoted) return quoted.slice(1).find((g) => g !== undefined);
    const before = CONTENT_BEFORE.exec(text)?.[1];
    return before ? unquote(before) : undefined;
  },
  fact: (text) => {
    const fact = FACT_AFTER.exec(text)?.[1];
    return fact ? unquote(fact) : undefined;
  },
  subject: (text) => {
    const quoted = SUBJECT_QUOTED.exec(text);
    if (quoted) return quoted.slice(1).find((g) => g !== undefined);
    for (const pattern of SUBJECT_PATTERNS) {
      const found = pattern.exec(text)?.[1];
      if (found === undefined) continue;
      const subject = unquote(found).replace(SUBJECT_TAIL, '').replace(SUBJECT_HEAD, '').trim();
      return subject && !SUBJECT_NAMES_NOTHING.test(subject) ? subject : undefined;
    }
    return undefined;
  },
  query: (text) => {
    const quoted = QUOTED.exec(text);
    if (quoted) return quoted.slice(1).find((g) => g !== undefined);
    const after = QUERY_AFTER.exec(text)?.[1];
    return after ? unquote(after) : undefined;
  },
};

export interface SlotResult {
  slots: Record<string, string>;
  missing: string[];
}

/**
 * Fills an intent's slots from the request with deterministic extractors; reports required slots it could not fill.
 * With `workspaceHas`, a path no extractor found may be a bare name of the workspace's.
 */
export function extractSlots(text: string, specs: Record<string, SlotSpec>, workspaceHas?: WorkspaceHas): SlotResult {
  const slots: Record<string, string> = {};
  const missing: string[] = [];
  const request = text.trim();
  const extracted = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, extractors[spec.kind](request)]));
  const taken = Object.values(extracted).filter((value): value is string => value !== undefined);
  for (const [name, spec] of Object.entries(specs)) {
    const bare = spec.kind === 'path' && workspaceHas && extracted[name] === undefined ? workspaceName(request, workspaceHas, taken) : undefined;
    const value = extracted[name] ?? bare ?? spec.default;
    if (value !== undefined && value !== '') slots[name] = value;
    else if (spec.required) missing.push(name);
  }
  return { slots, missing };
}
