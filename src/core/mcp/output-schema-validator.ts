import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { linearTimePattern } from '../tools/linear-time-pattern';
import { UNWATCHED_CHECK_WORK, schemaCheckSize } from '../tools/schema-check-size';
import { ServerCheckTime } from '../tools/server-check-time';
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
  const time = new ServerCheckTime('until the server restarts');
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
