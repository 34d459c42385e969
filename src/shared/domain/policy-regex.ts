/**
 * A policy `regex` condition as JavaScript runs it. Patterns copied from other tools (Go, Python, PCRE) often open
 * with an inline flag group, `(?i)password`, which JavaScript does not have: a leading `(?i)`, `(?s)`, `(?m)` or a
 * mix of them (`(?is)`) is read as the RegExp's flags instead. Only at the very start of the pattern: an inline
 * group further in (`api(?i)key`), one that turns a flag off (`(?-i)`) or another flag (`(?x)`, `(?U)`) stays an
 * error that says so. A scoped group, `(?i:key)`, is JavaScript's own and works anywhere.
 */
export type PolicyRegex = { ok: true; regex: RegExp } | { ok: false; error: string };

const LEADING_FLAG_GROUP = /^\(\?([A-Za-z]+)\)/;
const SUPPORTED_FLAGS = new Set(['i', 's', 'm']);
/** An inline flag group anywhere but the start, not escaped: `a(?i)b`, `(?-i)`. Only to explain an error. */
const LATER_FLAG_GROUP = /(?<!\\)\(\?-?[A-Za-z]+\)/;

const SUPPORTED_WORDS = 'a pattern may open with (?i) (any case), (?s) (. matches newlines), (?m) (^ and $ at each line) or a mix such as (?is)';

export function compilePolicyRegex(pattern: string): PolicyRegex {
  const leading = LEADING_FLAG_GROUP.exec(pattern);
  let flags = 'u';
  let source = pattern;
  if (leading) {
    const unsupported = [...leading[1]!].filter((flag) => !SUPPORTED_FLAGS.has(flag));
    if (unsupported.length > 0) {
      return { ok: false, error: `the inline flag ${unsupported.map((f) => `"${f}"`).join(', ')} is not supported: ${SUPPORTED_WORDS}` };
    }
    flags += [...new Set(leading[1]!)].join('');
    source = pattern.slice(leading[0].length);
  }
  try {
    return { ok: true, regex: new RegExp(source, flags) };
  } catch {
    if (LATER_FLAG_GROUP.test(source)) {
      return { ok: false, error: `this is not a valid regular expression: an inline flag group works only at the very start (${SUPPORTED_WORDS}; or scope it, (?i:word))` };
    }
    return { ok: false, error: 'this is not a valid regular expression' };
  }
}
