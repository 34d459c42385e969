import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { linearTimePattern } from '../tools/linear-time-pattern';
import { UNWATCHED_CHECK_WORK, schemaCheckSize } from '../tools/schema-check-size';
import { SCHEMA_CHECK_TIME_LIMIT_MS, withinSchemaTimeLimit } from '../tools/schema-check-time-limit';
import { valueCheckSize } from '../tools/value-check-size';
import { messageOf } from '../../shared/errors';

/**
 * The MCP client's check of a tool's `structuredContent` against its `outputSchema`, made as the SDK makes its own
 * (same Ajv options, formats checked), except that the schema and the answer both come from the server:
 * - a backtracking pattern held the whole process while the SDK's check ran (`linearTimePattern`);
 * - the SDK compiled every tool's schema as the tools were listed, where a 21 KB one took 84 s and 2.8 GB (Ajv inlines
 *   each `$ref` it can): a schema is compiled at its tool's first call, under a time limit, and one that cannot be
 *   fails that tool's calls only;
 * - one check may take as long as the schema makes it (`$defs` naming each other twice over, `uniqueItems` over
 *   many items): one whose work may be large runs under the same limit (`withinSchemaTimeLimit`, ~80 µs a call), as
 *   an input schema's does: the schema's size (`schemaCheckSize`) times the answer's (`valueCheckSize`, which stops
 *   walking where the watchdog would cost less than walking on), so an ordinary answer is checked without it;
 * - a server could have each answer stopped at the limit, holding the process 2 s a call (~30 s over a turn's 16):
 *   each slow compile or check halves the time its server's next one gets (`ServerCheckTime`), until it restarts.
 */
export function outputSchemaValidator(): jsonSchemaValidator {
  // addUsedSchema off: one tool's $id is not another's to name or take, nor the same tool's when it is listed again.
  const ajv = new Ajv({ strict: false, validateFormats: true, validateSchema: false, allErrors: true, addUsedSchema: false, code: { regExp: linearTimePattern } });
  addFormats(ajv);
  // One validator per client, so per run of a server: its tools' stops add up, whatever it lists meanwhile.
  const time = new ServerCheckTime();
  return {
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
      let compiled: CompiledCheck | Error | undefined;
      return (input) => {
        compiled ??= compileWithin(ajv, schema, time);
        if (compiled instanceof Error) throw compiled; // the SDK fails the call with "Failed to validate structured content: …"
        const { validate, size } = compiled;
        const small = valueCheckSize(input, UNWATCHED_CHECK_WORK / size) !== Infinity;
        if (time.run(() => validate(input), 'checking the answer against it', small)) return { valid: true, data: input as T, errorMessage: undefined };
        return { valid: false, data: undefined, errorMessage: ajv.errorsText(validate.errors) };
      };
    },
  };
}

/** A tool's compiled check and how many schema nodes it may walk per part of the answer (schema-check-size.ts). */
type CompiledCheck = { validate: ValidateFunction; size: number };

function compileWithin(ajv: Ajv, schema: JsonSchemaType, time: ServerCheckTime): CompiledCheck | Error {
  try {
    return { validate: time.run(() => ajv.compile(schema), 'compiling its output schema'), size: schemaCheckSize(schema) };
  } catch (error) {
    ajv.removeSchema(schema as object); // a compile stopped part way leaves it in Ajv's cache
    return new Error(`its output schema cannot be used (${messageOf(error)})`);
  }
}

/** The least time a server's compile or check gets, however slow its earlier ones were. */
export const LEAST_CHECK_TIME_MS = 100;

/**
 * How long a compile or check may take before it counts as slow: an ordinary check takes µs and a compile tens of ms,
 * a few times that on a busy machine, so an honest server's hardly ever does.
 */
export const SLOW_SCHEMA_RUN_MS = 250;

/**
 * How long a server's next output-schema compile or check may hold the process. Each one that held it for
 * `SLOW_SCHEMA_RUN_MS` or more (or up to its whole limit, once that is shorter), stopped (at this limit, or by its
 * patterns' own limits) or not (an answer made to take 1.9 s, just under the limit, would never be stopped), halves
 * it, down to `LEAST_CHECK_TIME_MS`; from then on every check of the server is watched, small ones too (their patterns
 * may still take a second). A turn of 16 calls to a tool whose every answer is stopped held the process ~5 s in all,
 * not ~30 s (answers made to take just under 250 ms: ~4 s). Not a refusal of the tool after one stop: an honest server
 * whose one odd answer was slow to check still has the next checked (each check still gets its whole pattern budget,
 * up to this limit); nor is the time given back after an answer checked quickly, which a server could send between
 * slow ones. Compiles count too: a server that lists its tools again after each call has each schema compiled again.
 * A restart (a new client) starts again from `SCHEMA_CHECK_TIME_LIMIT_MS`.
 */
class ServerCheckTime {
  private limitMs = SCHEMA_CHECK_TIME_LIMIT_MS;
  private slow = 0;

  /** `run()` (a compile, or a check that may skip the watchdog when `small`), timed: a slow one shortens the next. */
  run<T>(run: () => T, what: string, small = false): T {
    const started = performance.now();
    const limitMs = this.limitMs;
    try {
      if (small && this.slow === 0) return run();
      const why = this.slow === 0 ? undefined : `its server's output schemas took ${SLOW_SCHEMA_RUN_MS} ms or more ${this.slow === 1 ? 'once' : `${this.slow} times`} before: each time halves the time the next compile or check gets, down to ${LEAST_CHECK_TIME_MS} ms, until the server restarts`;
      return withinSchemaTimeLimit(run, what, limitMs, why);
    } finally {
      if (performance.now() - started >= Math.min(SLOW_SCHEMA_RUN_MS, limitMs)) {
        this.slow += 1;
        this.limitMs = Math.max(LEAST_CHECK_TIME_MS, Math.floor(limitMs / 2));
      }
    }
  }
}
