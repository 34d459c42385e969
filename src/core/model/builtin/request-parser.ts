import { parseMemoryRequest, type MemoryIntent } from './memory-request';

/** What the built-in model understood a request to ask for. */
export type BuiltinIntent =
  | { kind: 'list'; path: string }
  | { kind: 'read'; path: string }
  | { kind: 'write'; path: string; content: string }
  | MemoryIntent
  | { kind: 'unknown' };

const PATH = String.raw`["'\x60]?([^\s"'\x60]+?)["'\x60]?`;
const FILE_WORD = String.raw`(?:the\s+)?(?:file\s+)?`;

const WRITE_PATTERNS = [
  // write hello.txt with hi · write "hi" to hello.txt · create notes.md containing hello · save x into y
  new RegExp(String.raw`^(?:please\s+)?(?:write|create|save)\s+(?:to\s+|a\s+file\s+(?:called\s+|named\s+)?)?${FILE_WORD}${PATH}\s+(?:with|containing|saying)\s+(?:the\s+)?(?:content|text\s+)?[:]?\s*([\s\S]+)$`, 'i'),
  new RegExp(String.raw`^(?:please\s+)?(?:write|save|put)\s+([\s\S]+?)\s+(?:to|into|in)\s+${FILE_WORD}${PATH}$`, 'i'),
];
const READ_PATTERN = new RegExp(String.raw`^(?:please\s+)?(?:read|open|cat|show(?:\s+me)?|print|display)\s+${FILE_WORD}${PATH}$`, 'i');
const LIST_PATTERN = /^(?:please\s+)?(?:list|ls|show(?:\s+me)?|what(?:'s| is| are)?)\b(?:.*?\b(?:files?|folders?|contents?|workspace|directory)\b)(?:.*?\b(?:in|of|under)\s+(?:the\s+)?(?:folder\s+|directory\s+)?["'`]?([^\s"'`]+?)["'`]?)?\s*\??$/i;

function unquote(text: string): string {
  const trimmed = text.trim().replace(/[.!]$/, '');
  const match = /^(["'`])([\s\S]*)\1$/.exec(trimmed);
  return match ? match[2]! : trimmed;
}

const WORKSPACE_WORDS = new Set(['workspace', 'my', 'the', 'this', 'here', 'folder', 'directory']);

/** A deliberately small, deterministic parser: it understands the file requests it can honestly carry out. */
export function parseBuiltinRequest(text: string): BuiltinIntent {
  const request = text.trim();
  const memory = parseMemoryRequest(request);
  if (memory) return memory;
  for (const pattern of WRITE_PATTERNS) {
    const match = pattern.exec(request);
    if (!match) continue;
    const [path, content] = pattern === WRITE_PATTERNS[0] ? [match[1]!, match[2]!] : [match[2]!, match[1]!];
    return { kind: 'write', path, content: unquote(content) };
  }
  const list = LIST_PATTERN.exec(request);
  if (list) {
    const folder = list[1]?.replace(/[?.!]$/, '');
    return { kind: 'list', path: folder && !WORKSPACE_WORDS.has(folder.toLowerCase()) ? folder : '.' };
  }
  const read = READ_PATTERN.exec(request);
  if (read && !/^(?:files?|folders?|workspace)$/i.test(read[1]!)) return { kind: 'read', path: read[1]!.replace(/[?.!]$/, '') };
  return { kind: 'unknown' };
}
