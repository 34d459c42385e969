import type { ElicitationField, ElicitationRequest } from './domain/elicitation';

type Value = string | number | boolean | string[];

/**
 * Checks the person's values against the fields a server asked for, as the server will (the SDK's server side
 * refuses a non-conforming answer with an error the person never sees). The same check runs in the dialog, as
 * they type, and in the runtime, before anything is sent. Returns each field's problem, by name; none: valid.
 * Fields left empty are left out of the answer, so an optional one is simply not given.
 */
export function checkElicitationAnswer(fields: ElicitationRequest['fields'], content: Readonly<Record<string, unknown>>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const name of Object.keys(content)) {
    if (!fields.some((f) => f.name === name)) problems[name] = 'The server did not ask for this.';
  }
  for (const { name, required, field } of fields) {
    const value = content[name];
    if (value === undefined || value === '') {
      if (required) problems[name] = 'Required.';
      continue;
    }
    const problem = checkValue(field, value as Value);
    if (problem) problems[name] = problem;
  }
  return problems;
}

function checkValue(field: ElicitationField, value: Value): string | undefined {
  const choices = field.options?.map((o) => o.value);
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Must be yes or no.';
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Must be a number.';
      if (field.type === 'integer' && !Number.isInteger(value)) return 'Must be a whole number.';
      if (field.minimum !== undefined && value < field.minimum) return `Must be at least ${field.minimum}.`;
      if (field.maximum !== undefined && value > field.maximum) return `Must be at most ${field.maximum}.`;
      return undefined;
    }
    case 'array': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return 'Must be a list of choices.';
      if (choices && value.some((v) => !choices.includes(v))) return 'Choose only from the list.';
      if (new Set(value).size !== value.length) return 'Choose each one once.';
      if (field.minItems !== undefined && value.length < field.minItems) return `Choose at least ${field.minItems}.`;
      if (field.maxItems !== undefined && value.length > field.maxItems) return `Choose at most ${field.maxItems}.`;
      return undefined;
    }
    case 'string': {
      if (typeof value !== 'string') return 'Must be text.';
      if (choices) return choices.includes(value) ? undefined : 'Choose one from the list.';
      // Lengths in code points, as JSON Schema counts them.
      const length = [...value].length;
      if (field.minLength !== undefined && length < field.minLength) return `At least ${field.minLength} characters.`;
      if (field.maxLength !== undefined && length > field.maxLength) return `At most ${field.maxLength} characters.`;
      return field.format ? checkFormat(field.format, value) : undefined;
    }
  }
}

function checkFormat(format: NonNullable<ElicitationField['format']>, value: string): string | undefined {
  switch (format) {
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? undefined : 'Must be an email address.';
    case 'uri':
      return /^[a-z][a-z0-9+.-]*:/i.test(value) && URL.canParse(value) ? undefined : 'Must be a full address, such as https://example.com.';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && isRealDate(value) ? undefined : 'Must be a date (YYYY-MM-DD).';
    case 'date-time':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : 'Must be a date and time with its zone (2026-01-31T09:30:00Z).';
  }
}

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
