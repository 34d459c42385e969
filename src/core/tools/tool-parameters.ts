import type { ToolParameter } from '../../shared/domain/tool-catalog';

type Schema = Record<string, unknown>;

const MAX_CHOICES = 8;
const MAX_DESCRIPTION = 500;

/**
 * A tool's arguments as a person reads them: each top-level property of its input schema with its type in words,
 * whether it is required, and what it is for. Required ones first, each group in the schema's order.
 */
export function toolParameters(inputSchema: Schema): ToolParameter[] {
  const properties = isSchema(inputSchema.properties) ? inputSchema.properties : {};
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required : []);
  const parameters = Object.entries(properties).map(([name, property]): ToolParameter => {
    const schema = isSchema(property) ? property : {};
    const description = typeof schema.description === 'string' ? schema.description.trim().slice(0, MAX_DESCRIPTION) : '';
    return { name, type: typeInWords(schema), required: required.has(name), ...(description ? { description } : {}) };
  });
  return [...parameters.filter((p) => p.required), ...parameters.filter((p) => !p.required)];
}

/** `string`, `number or null`, `list of strings`, `one of "a", "b"`; `any` where the schema does not say. */
export function typeInWords(schema: Schema): string {
  if (Array.isArray(schema.enum)) return choices(schema.enum);
  if ('const' in schema) return JSON.stringify(schema.const);
  const types = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0) {
    const options = [schema.anyOf, schema.oneOf].find(Array.isArray);
    return options ? [...new Set(options.filter(isSchema).map(typeInWords))].join(' or ') || 'any' : 'any';
  }
  return types.map((type) => (type === 'array' ? listOf(schema.items) : String(type))).join(' or ');
}

function listOf(items: unknown): string {
  if (!isSchema(items)) return 'list';
  const item = typeInWords(items);
  if (item === 'any') return 'list';
  return /^[a-z]+$/.test(item) ? `list of ${item}s` : `list of (${item})`;
}

function choices(values: unknown[]): string {
  const shown = values.slice(0, MAX_CHOICES).map((v) => JSON.stringify(v)).join(', ');
  return `one of ${shown}${values.length > MAX_CHOICES ? `, … (${values.length} in all)` : ''}`;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
