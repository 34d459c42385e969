import { Script, createContext } from 'node:vm';

/**
 * How long compiling a server's JSON Schema, or one check of a value against it, may hold the process. Both the
 * schema and (for an output schema) the value are the server's: a 21 KB output schema whose `$ref`s Ajv inlines took
 * 84 s and 2.8 GB to compile, as its tools were listed, and one of 30 `$defs` each naming the next twice took 2 s to
 * check one string (60: years). Longer than the patterns' own budget (`PATTERN_TIME_BUDGET_MS`), which then speaks.
 */
export const SCHEMA_CHECK_TIME_LIMIT_MS = 2_000;

// A function run from a script under vm's timeout is interrupted by V8 wherever it is, as a plain call could not be;
// the watchdog costs ~80 µs a run, so an input schema's check takes it only when it may need it (schema-check-size.ts).
const limitedRun = new Script('run()');
let limitedContext: { run?: () => unknown } | undefined;

/**
 * `run()`, stopped with an error saying `what` took too long once it passes `limitMs` (`SCHEMA_CHECK_TIME_LIMIT_MS`
 * unless a shorter one is given, and `why` it is shorter).
 */
export function withinSchemaTimeLimit<T>(run: () => T, what: string, limitMs = SCHEMA_CHECK_TIME_LIMIT_MS, why?: string): T {
  const context = (limitedContext ??= createContext({}));
  context.run = run;
  try {
    return limitedRun.runInContext(context, { timeout: limitMs }) as T;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
    throw new Error(`${what} took longer than ${limitMs} ms${why ? ` (${why})` : ''}, so it was stopped`, { cause: error });
  } finally {
    context.run = undefined;
  }
}
