import { setFlagsFromString } from 'node:v8';
import { Script, createContext } from 'node:vm';

/** What Ajv needs of a compiled `pattern`: its test, and a text naming it (Ajv's cache key). */
export type PatternTester = { test(text: string): boolean; toString(): string };

/**
 * Compiles an input schema's `pattern` so that a pattern that backtracks without end cannot hold the process.
 * Patterns come from MCP servers and the text from the model: `^(a+)+$` against 37 characters held Portcullis for
 * five minutes (the window, every call, even SIGTERM waited). V8 can finish such a pattern in its linear-time
 * engine once it has backtracked too often, but that engine takes no u flag, which Ajv gives every pattern. So a
 * pattern that means the same without it is run without it, on the text with each character beyond U+FFFF made one
 * unit (U+FFFF, which such a pattern cannot name), as the u flag counts it. One that needs the u flag (\p{…},
 * \u{…}, surrogates), or a back-reference or look-around (the linear engine has none), runs exactly but under a
 * time limit (`PATTERN_TIME_LIMIT_MS`): `^(\p{L}+)+$` took 103 s on 33 characters.
 */
export const linearTimePattern = Object.assign(
  (pattern: string, flags: string): PatternTester => {
    const exact = new RegExp(pattern, flags); // a pattern that is not valid is refused as Ajv's own compile refuses it
    if (!flags.includes('u') || needsUnicodeFlag(pattern) || needsBacktracking(pattern)) return timeLimited(exact, pattern);
    enableLinearFallback();
    let plain: RegExp;
    try {
      plain = new RegExp(pattern, flags.replace('u', ''));
    } catch {
      return timeLimited(exact, pattern);
    }
    return {
      test(text) {
        // Each test may backtrack 50,000 times before it changes engines (~0.2 ms): thousands of strings add up.
        if (spentThisRun >= PATTERN_TIME_BUDGET_MS) throw overBudget(pattern);
        const started = performance.now();
        try {
          return plain.test(oneUnitPerCharacter(text));
        } finally {
          spend(performance.now() - started);
        }
      },
      toString: () => exact.toString(),
    };
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

/** A back-reference or a look-around: the linear engine cannot run it, so past the backtrack limit V8 goes on. */
function needsBacktracking(pattern: string): boolean {
  return /\\[1-9]|\\k<|\(\?<?[=!]/.test(pattern);
}

/** How long one test of a pattern that may backtrack without end may take before it is stopped and refused. */
export const PATTERN_TIME_LIMIT_MS = 250;
/**
 * How long all such tests of one check (one synchronous run of Ajv) may take together: a server's answer of a
 * thousand strings, each just under the limit, against an items pattern held Portcullis for minutes (40: 5.4 s).
 */
export const PATTERN_TIME_BUDGET_MS = 1_000;

// A test run under vm's timeout is interrupted by V8 where a plain call could not be; the watchdog costs ~0.2 ms
// a test, paid only by the patterns above.
const limitedTest = new Script('pattern.test(text)');
let limitedContext: { pattern?: RegExp; text?: string } | undefined;
/** Time the tests have taken in this run of the event loop (one check is synchronous), set back once it ends. */
let spentThisRun = 0;
let resetScheduled = false;

function spend(ms: number): void {
  spentThisRun += ms;
  if (resetScheduled) return;
  resetScheduled = true;
  setImmediate(() => {
    spentThisRun = 0;
    resetScheduled = false;
  }).unref();
}

function overBudget(source: string): Error {
  return new Error(`checking the patterns took longer than ${PATTERN_TIME_BUDGET_MS} ms in all, so it was stopped at ${JSON.stringify(source)}`);
}

function timeLimited(exact: RegExp, source: string): PatternTester {
  return {
    test(text) {
      const left = PATTERN_TIME_BUDGET_MS - spentThisRun;
      if (left <= 0) throw overBudget(source);
      const timeout = Math.max(1, Math.ceil(Math.min(PATTERN_TIME_LIMIT_MS, left)));
      const context = (limitedContext ??= createContext({}));
      context.pattern = exact;
      context.text = text;
      const started = performance.now();
      try {
        return limitedTest.runInContext(context, { timeout }) === true;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
        if (timeout < PATTERN_TIME_LIMIT_MS) throw Object.assign(overBudget(source), { cause: error });
        throw new Error(`checking the pattern ${JSON.stringify(source)} took longer than ${PATTERN_TIME_LIMIT_MS} ms, so it was stopped`, { cause: error });
      } finally {
        spend(performance.now() - started);
        context.pattern = undefined;
        context.text = undefined;
      }
    },
    toString: () => exact.toString(),
  };
}

function oneUnitPerCharacter(text: string): string {
  return /[\uD800-\uDFFF]/.test(text) ? text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '\uFFFF') : text;
}
