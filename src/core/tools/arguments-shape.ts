import type { JsonSchema } from './tool-definition';

const MOST_SHOWN = 8;

/**
 * A tool's arguments in one line, `{"path": string, "limit"?: integer}` (`?`: may be left out), for the error a
 * model reads when its call was refused for its arguments: a small model that sent a bare string or left a field
 * out corrects itself from the shape, where "must be a JSON object" alone had it send the same call again.
 * Null when the schema names no properties.
 */
export function argumentsShape(schema: JsonSchema): string | null {
  const properties = schema.properties;
  if (typeof properties !== 'object' || properties === null) return null;
  const names = Object.keys(properties);
  if (names.length === 0) return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : []);
  // The required first: a shape cut short still names what the call cannot do without.
  const ordered = [...names.filter((name) => required.has(name)), ...names.filter((name) => !required.has(name))];
  const shown = ordered.slice(0, MOST_SHOWN).map((name) => `${JSON.stringify(name)}${required.has(name) ? '' : '?'}: ${typeOf((properties as Record<string, unknown>)[name])}`);
  return `{${shown.join(', ')}${ordered.length > MOST_SHOWN ? ', …' : ''}}`;
}

function typeOf(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return 'any';
  const { type, enum: values } = schema as { type?: unknown; enum?: unknown };
  if (Array.isArray(values) && values.length > 0 && values.length <= 5) return values.map((value) => JSON.stringify(value)).join(' | ');
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.join(' | ');
  return 'any';
}
