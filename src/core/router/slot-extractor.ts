import type { SlotKind, SlotSpec } from './intent-catalogue';
import { pathMention } from './path-mention';
import { workspacePath, type WorkspaceHas } from './workspace-name';

const URL = /\bhttps?:\/\/[^\s"'`<>]+[^\s"'`<>.,;:!?)]/i;
const QUOTED = /"([^"]*)"|“([^”]*)”|`([^`]*)`|'([^']+)'/;
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

function unquote(text: string): string {
  const trimmed = text.trim().replace(/[.!?]$/, '');
  const match = /^(["'`“])([\s\S]*)(["'`”])$/.exec(trimmed);
  return match ? match[2]! : trimmed;
}

const extractors: Record<SlotKind, (text: string) => string | undefined> = {
  url: (text) => URL.exec(text)?.[0],
  path: (text) => pathMention(text)?.value,
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
 * With `workspaceHas`, a path is the name the workspace has that the request's words make (`workspacePath`).
 */
export function extractSlots(text: string, specs: Record<string, SlotSpec>, workspaceHas?: WorkspaceHas): SlotResult {
  const slots: Record<string, string> = {};
  const missing: string[] = [];
  const request = text.trim();
  const extracted = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, extractors[spec.kind](request)]));
  for (const [name, spec] of Object.entries(specs)) {
    const taken = Object.entries(extracted).flatMap(([other, value]) => (other !== name && value !== undefined ? [value] : []));
    const found = spec.kind === 'path' && workspaceHas ? workspacePath(request, pathMention(request), workspaceHas, taken) : extracted[name];
    const value = found ?? spec.default;
    if (value !== undefined && value !== '') slots[name] = value;
    else if (spec.required) missing.push(name);
  }
  return { slots, missing };
}
