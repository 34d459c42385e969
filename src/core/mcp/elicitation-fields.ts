import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitationField, ElicitationRequest } from '../../shared/domain/elicitation';
import { stripControlChars } from '../tools/output-sanitizer';

type Property = ElicitRequestFormParams['requestedSchema']['properties'][string];
type Choice = { const: string; title: string };

/**
 * A server's requested schema (already checked by the SDK: flat primitives only) as the fields the dialog draws,
 * in the server's order. Its words (titles, descriptions, labels) are the server's, so they are cleaned like its
 * other output and passed through `hide`, which masks any secret the server was given.
 */
export function toElicitationFields(schema: ElicitRequestFormParams['requestedSchema'], hide: (text: string) => string): ElicitationRequest['fields'] {
  const required = new Set(schema.required ?? []);
  const words = (text: string | undefined, max: number): string | undefined =>
    text === undefined ? undefined : hide(stripControlChars(text)).slice(0, max);
  return Object.entries(schema.properties).map(([name, property]) => {
    const p = property as Property & Record<string, unknown>;
    const field: ElicitationField = { type: p.type as ElicitationField['type'] };
    const title = words(p.title, 200);
    const description = words(p.description as string | undefined, 1_000);
    if (title) field.title = title;
    if (description) field.description = description;
    for (const key of ['format', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'] as const) {
      if (p[key] !== undefined) (field as Record<string, unknown>)[key] = p[key];
    }
    // A choice's value and a default go back to the server as they are, so they cannot be hidden and still answered:
    // one that holds a secret it was given is left out (its value was the label of a choice without one, shown).
    const options = choicesOf(p)
      ?.filter((c) => keepsSecretsOut(c.const, hide))
      .map((c) => ({ value: c.const, label: words(c.title, 200) ?? c.const }));
    if (options) field.options = options;
    if (p.default !== undefined && keepsSecretsOut(p.default, hide)) field.default = p.default as ElicitationField['default'];
    return { name, required: required.has(name), field };
  });
}

/**
 * Whether a server's value holds none of the secrets it was given: what `hide` leaves as it is. A field's name that
 * holds one cannot be hidden and still answered, so such a question is not asked (`askPerson`).
 */
export function keepsSecretsOut(value: unknown, hide: (text: string) => string): boolean {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return hide(text) === text;
}

/** The choices of a single- or multi-select field, in any of the spellings MCP allows. */
function choicesOf(p: Record<string, unknown>): Choice[] | undefined {
  const items = p.items as Record<string, unknown> | undefined;
  const source = p.type === 'array' ? items : p;
  if (!source) return undefined;
  if (Array.isArray(source.oneOf)) return source.oneOf as Choice[];
  if (Array.isArray(source.anyOf)) return source.anyOf as Choice[];
  if (Array.isArray(source.enum)) {
    const labels = Array.isArray(p.enumNames) ? (p.enumNames as string[]) : [];
    return (source.enum as string[]).map((value, i) => ({ const: value, title: labels[i] ?? value }));
  }
  return undefined;
}
