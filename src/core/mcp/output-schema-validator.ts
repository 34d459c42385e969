import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { linearTimePattern } from '../tools/linear-time-pattern';

/**
 * The MCP client's check of a tool's `structuredContent` against its `outputSchema`, made as the SDK makes its own
 * (same Ajv options, formats checked), except for patterns: the schema and the answer both come from the server,
 * and a backtracking pattern held the whole process while the SDK's check ran (`linearTimePattern`).
 */
export function outputSchemaValidator(): AjvJsonSchemaValidator {
  const ajv = new Ajv({ strict: false, validateFormats: true, validateSchema: false, allErrors: true, code: { regExp: linearTimePattern } });
  addFormats(ajv);
  return new AjvJsonSchemaValidator(ajv);
}
