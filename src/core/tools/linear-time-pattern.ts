import { setFlagsFromString } from 'node:v8';

/** What Ajv needs of a compiled `pattern`: its test, and a text naming it (Ajv's cache key). */
export type PatternTester = { test(text: string): boolean; toString(): string };

/**
 * Compiles an input schema's `pattern` so that a pattern that backtracks without end cannot hold the process.
 * Patterns come from MCP servers and the text from the model: `^(a+)+$` against 37 characters held Portcullis for
 * five minutes (the window, every call, even SIGTERM waited). V8 can finish such a pattern in its linear-time
 * engine once it has backtracked too often, but that engine takes no u flag, which Ajv gives every pattern. So a
 * pattern that means the same without it is run without it, on the text with each character beyond U+FFFF made one
 * unit (U+FFFF, which such a pattern cannot name), as the u flag counts it. One that needs the u flag (\p{…},
 * \u{…}, surrogates), or a back-reference or look-around (the linear engine has none), still runs as before.
 */
export const linearTimePattern = Object.assign(
  (pattern: string, flags: string): PatternTester => {
    const exact = new RegExp(pattern, flags); // a pattern that is not valid is refused as Ajv's own compile refuses it
    if (!flags.includes('u') || needsUnicodeFlag(pattern)) return exact;
    enableLinearFallback();
    let plain: RegExp;
    try {
      plain = new RegExp(pattern, flags.replace('u', ''));
    } catch {
      return exact;
    }
    return { test: (text) => plain.test(oneUnitPerCharacter(text)), toString: () => exact.toString() };
  },
  { code: 'linearTimePattern' }, // only Ajv's standalone code uses it; Portcullis compiles in place
);

let fallbackEnabled = false;

function enableLinearFallback(): void {
  if (fallbackEnabled) return;
  // Only a pattern past V8's backtrack limit (50,000 by default) changes engines; the answer is the same.
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  fallbackEnabled = true;
}

/** \p{…}, \u{…}, a surrogate or U+FFFF named or written: without the u flag it would mean something else. */
function needsUnicodeFlag(pattern: string): boolean {
  return /\\[pP]\{|\\u\{|\\u[dD][89a-fA-F]|\\u[fF]{4}|[\uD800-\uDFFF\uFFFF]/.test(pattern);
}

function oneUnitPerCharacter(text: string): string {
  return /[\uD800-\uDFFF]/.test(text) ? text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '\uFFFF') : text;
}
