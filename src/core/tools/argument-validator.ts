import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { argumentsShape } from './arguments-shape';
import { linearTimePattern } from './linear-time-pattern';
import { UNWATCHED_CHECK_WORK, schemaCheckSize } from './schema-check-size';
import { ServerCheckTime } from './server-check-time';
import { withinSchemaTimeLimit } from './schema-check-time-limit';
import type { ToolDefinition } from './tool-definition';
import { messageOf } from '../../shared/errors';

/**
 * The most a call's arguments may hold, as JSON: as much as a model's whole reply may (`MAX_REPLY_CHARS`), and some
 * 50 times less than a tool worker's 512 MB heap. A string the arguments carry is copied into the worker's tool
 * thread whole, past the heap limit that thread is held to (a 256 MB one arrived in a 16 MB thread), so the size is
 * checked here, before the policy, the approval dialog or the worker see it.
 */
export const MAX_ARGUMENT_CHARS = 10_000_000;

/** A tool's compiled check and how many schema nodes it may walk per part of the arguments, or why it cannot be. */
type CompiledCheck = { validate: ValidateFunction; size: number } | { failed: string };

export type ValidationResult = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/**
 * Checks tool arguments against each tool's JSON Schema. Validators are compiled once per tool and cached;
 * defaults from the schema are filled in, so the policy and the tool see the same complete arguments.
 */
export class ArgumentValidator {
  // addUsedSchema off: a schema's $id is not registered for all to see, where the tools of every server share this Ajv.
  // Registered, a tool's own schema with an $id was refused as "already exists" once its server listed it again (a
  // restart, tools/list_changed), and another server's tool could take an $id first, or name one in a $ref.
  private readonly ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, addUsedSchema: false, code: { regExp: linearTimePattern } });
  private readonly compiled = new WeakMap<ToolDefinition, CompiledCheck>();
  /** Each MCP server's time for its schemas: one whose checks each took the whole limit held every call of its tool 2 s. */
  private readonly serverTimes = new Map<string, ServerCheckTime>();

  validate(tool: ToolDefinition, args: unknown): ValidationResult {
    if (typeof args === 'string') {
      // Text past repair, or a JSON string ("a.md") where the object was wanted: neither is the object.
      const shown = args.length > 80 ? `${args.slice(0, 77)}…` : args;
      return { ok: false, message: `The arguments of ${tool.name} are not a JSON object (${JSON.stringify(shown)}), so it did not run. Send them again as one JSON object${takes(tool)}.` };
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return { ok: false, message: `The arguments of ${tool.name} must be a JSON object${takes(tool)}.` };
    }
    const text = jsonText(args);
    if (text === undefined) return { ok: false, message: `The arguments of ${tool.name} must be plain JSON (no cycles, no BigInt).` };
    if (text === TOO_LONG_FOR_A_STRING || text.length > MAX_ARGUMENT_CHARS) {
      const size = text === TOO_LONG_FOR_A_STRING ? 'more characters as JSON than one string can hold' : `${text.length.toLocaleString('en')} characters as JSON`;
      return { ok: false, message: `The arguments of ${tool.name} are ${size}, more than the ${MAX_ARGUMENT_CHARS / 1_000_000} million a call may carry, so it did not run. Send less at a time.` };
    }
    const value = JSON.parse(text) as Record<string, unknown>;
    const check = this.checkFor(tool);
    if ('failed' in check) return { ok: false, message: `${tool.name} declares an input schema Portcullis cannot use (${check.failed}), so it cannot be called.` };
    const { validate, size } = check;
    let valid: boolean;
    try {
      // The schema is a server's and the arguments the model's: a schema that names one $def twice in each of 60
      // $defs checked one string for years. One the work of which may be large runs under a time limit.
      const small = size * text.length <= UNWATCHED_CHECK_WORK;
      const time = this.timeOf(tool);
      if (time) valid = time.run(() => validate(value), 'checking them against it', small);
      else valid = small ? validate(value) : withinSchemaTimeLimit(() => validate(value), 'checking them against it');
    } catch (error) {
      // A pattern of the schema stopped at its time limit (linear-time-pattern.ts), or the whole check at its own:
      // the arguments are not known good.
      return { ok: false, message: `${tool.name}'s input schema could not check these arguments (${messageOf(error)}), so it did not run.` };
    }
    if (valid) return { ok: true, value };
    const shape = argumentsShape(tool.inputSchema);
    return { ok: false, message: `Invalid arguments for ${tool.name}: ${describeErrors(validate.errors ?? [])}, so it did not run.${shape ? ` It takes ${shape}.` : ''}` };
  }

  /** An MCP tool's server's time for its schemas (none for Portcullis's own tools, whose schemas are its own). */
  private timeOf(tool: ToolDefinition): ServerCheckTime | undefined {
    if (tool.server === undefined) return undefined;
    let time = this.serverTimes.get(tool.server);
    if (!time) this.serverTimes.set(tool.server, (time = new ServerCheckTime('until Portcullis restarts')));
    return time;
  }

  /** The tool's check, compiled once (a schema it cannot be made of stays refused, not compiled again each call). */
  private checkFor(tool: ToolDefinition): CompiledCheck {
    let check = this.compiled.get(tool);
    if (!check) {
      // MCP servers often name a draft in $schema; the keywords they use are the same, so compile without it.
      const { $schema: _draft, ...schema } = tool.inputSchema;
      try {
        const time = this.timeOf(tool);
        const compile = () => this.ajv.compile(schema);
        check = { validate: time ? time.run(compile, 'compiling it') : withinSchemaTimeLimit(compile, 'compiling it'), size: schemaCheckSize(schema) };
      } catch (error) {
        this.ajv.removeSchema(schema); // a compile stopped part way leaves it in Ajv's cache
        check = { failed: messageOf(error) };
      }
      this.compiled.set(tool, check);
    }
    return check;
  }
}

/**
 * `: {"path": string}` for a refusal's words, or nothing. The shape is worked out only when a call is refused
 * (~4 µs a call in place when it was worked out for every call).
 */
function takes(tool: ToolDefinition): string {
  const shape = argumentsShape(tool.inputSchema);
  return shape ? `: ${shape}` : '';
}

/**
 * The arguments as JSON, measured, then parsed into a copy for the schema's defaults to be filled into, leaving the
 * caller's object alone. Arguments are JSON (the model's, the command line's, the window's), so a JSON round trip is
 * exact; structuredClone cost ~25 µs per call in place against ~3 µs for this (bench/gateway.bench.ts,
 * docs/storage.md). Undefined when it is not JSON (a cycle, a BigInt).
 */
function jsonText(args: object): string | typeof TOO_LONG_FOR_A_STRING | undefined {
  try {
    return JSON.stringify(args);
  } catch (error) {
    return error instanceof RangeError && /string length/i.test(error.message) ? TOO_LONG_FOR_A_STRING : undefined;
  }
}

/** Arguments whose JSON would pass V8's longest string (some 512 million characters). */
const TOO_LONG_FOR_A_STRING = Symbol('too long for a string');

function describeErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((error) => {
      const where = error.instancePath === '' ? 'the arguments' : `"${error.instancePath.slice(1)}"`;
      if (error.keyword === 'additionalProperties') {
        return `${where} has an unknown property "${String(error.params.additionalProperty)}"`;
      }
      return `${where} ${error.message ?? 'is invalid'}`;
    })
    .join('; ');
}
