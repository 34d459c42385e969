import type { ElicitationAnswer, ElicitationField, ElicitationRequest } from '../../../shared/domain/elicitation';

type Fields = ElicitationRequest['fields'];
type Content = Extract<ElicitationAnswer, { action: 'accept' }>['content'];

/**
 * What each control holds while the person fills the form: text as typed (a number too, so that "" can mean not
 * given and "1e" can be told apart from nothing; a list without choices, one entry per line), a yes/no, or the
 * choices ticked.
 */
export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

/** What a number field holds when the browser cannot read what was typed: not a number, as the check will say. */
export const UNREADABLE_NUMBER = 'not a number';

/** The controls as the form opens: the server's defaults, where it gave them. */
export function initialFormValues(fields: Fields): FormValues {
  return Object.fromEntries(fields.map(({ name, field }) => [name, initialValue(field)]));
}

function initialValue(field: ElicitationField): FormValue {
  const given = field.default;
  switch (field.type) {
    case 'boolean':
      return typeof given === 'boolean' ? given : false;
    case 'array':
      if (!Array.isArray(given)) return field.options ? [] : '';
      return field.options ? [...given] : given.join('\n');
    case 'number':
    case 'integer':
      return typeof given === 'number' ? String(given) : '';
    case 'string':
      if (typeof given !== 'string') return '';
      return field.format === 'date-time' ? toLocalDateTime(given) : given;
  }
}

/**
 * The answer's content from the controls, in the types the server asked for. A field left empty (no text, no
 * number, no choice ticked) is left out: not given. A yes/no is always sent as what the checkbox shows.
 */
export function toAnswerContent(fields: Fields, values: FormValues): Content {
  const content: Content = {};
  for (const { name, field } of fields) {
    const value = values[name];
    if (value === undefined) continue;
    const sent = toSent(field, value);
    if (sent !== undefined) content[name] = sent;
  }
  return content;
}

function toSent(field: ElicitationField, value: FormValue): Content[string] | undefined {
  if (field.type === 'boolean') return value === true;
  if (field.type === 'array') {
    // A list without choices is typed one entry per line.
    const list = typeof value === 'string' ? value.split('\n').map((line) => line.trim()).filter((line) => line !== '') : Array.isArray(value) ? value : [];
    return list.length > 0 ? list : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (field.type === 'number' || field.type === 'integer') return Number(value); // NaN when unreadable: the check says so
  if (field.format === 'date-time') return toIsoDateTime(value);
  return value;
}

/** A datetime-local control's value (local time, no zone) as the ISO date-time MCP asks for, in UTC. */
function toIsoDateTime(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/** An ISO date-time (any zone) as a datetime-local control shows it: the person's local time. */
function toLocalDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = date.getSeconds() ? `:${pad(date.getSeconds())}` : '';
  return `${String(date.getFullYear()).padStart(4, '0')}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}${seconds}`;
}
