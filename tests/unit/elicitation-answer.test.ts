import { describe, expect, it } from 'vitest';
import type { ElicitationRequest } from '../../src/shared/domain/elicitation';
import { checkElicitationAnswer } from '../../src/shared/elicitation-answer';

const fields: ElicitationRequest['fields'] = [
  { name: 'name', required: true, field: { type: 'string', minLength: 2, maxLength: 5 } },
  { name: 'email', required: false, field: { type: 'string', format: 'email' } },
  { name: 'site', required: false, field: { type: 'string', format: 'uri' } },
  { name: 'born', required: false, field: { type: 'string', format: 'date' } },
  { name: 'at', required: false, field: { type: 'string', format: 'date-time' } },
  { name: 'count', required: false, field: { type: 'integer', minimum: 1, maximum: 10 } },
  { name: 'ratio', required: false, field: { type: 'number' } },
  { name: 'agree', required: false, field: { type: 'boolean' } },
  { name: 'pet', required: false, field: { type: 'string', options: [{ value: 'cat', label: 'Cat' }, { value: 'dog', label: 'Dog' }] } },
  { name: 'fish', required: false, field: { type: 'array', minItems: 1, maxItems: 2, options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }, { value: 'c', label: 'C' }] } },
];

describe('checking an answer against the fields a server asked for', () => {
  it('accepts values that fit, and fields left out or empty when optional', () => {
    expect(checkElicitationAnswer(fields, { name: 'Ada', email: 'ada@example.org', site: 'https://example.org/x', born: '1815-12-10', at: '2026-01-31T09:30:00Z', count: 10, ratio: -0.5, agree: false, pet: 'dog', fish: ['a', 'c'] })).toEqual({});
    expect(checkElicitationAnswer(fields, { name: 'Ada', email: '' })).toEqual({});
  });

  it('names each problem by field', () => {
    expect(checkElicitationAnswer(fields, {
      email: 'ada at example', site: 'example.org', born: '2026-02-30', at: '2026-01-31 09:30', count: 2.5, ratio: Number.NaN, agree: 'yes', pet: 'cow', fish: ['a', 'a'], extra: 1,
    })).toEqual({
      name: 'Required.',
      email: 'Must be an email address.',
      site: 'Must be a full address, such as https://example.com.',
      born: 'Must be a date (YYYY-MM-DD).',
      at: 'Must be a date and time with its zone (2026-01-31T09:30:00Z).',
      count: 'Must be a whole number.',
      ratio: 'Must be a number.',
      agree: 'Must be yes or no.',
      pet: 'Choose one from the list.',
      fish: 'Choose each one once.',
      extra: 'The server did not ask for this.',
    });
  });

  it('checks lengths in characters, ranges and how many are chosen', () => {
    expect(checkElicitationAnswer(fields, { name: '😀' })).toEqual({ name: 'At least 2 characters.' });
    expect(checkElicitationAnswer(fields, { name: '😀😀😀😀😀' })).toEqual({});
    expect(checkElicitationAnswer(fields, { name: 'Adaaaa', count: 0, fish: [] })).toEqual({ name: 'At most 5 characters.', count: 'Must be at least 1.', fish: 'Choose at least 1.' });
    expect(checkElicitationAnswer(fields, { name: 'Ada', count: 11, fish: ['a', 'b', 'c'] })).toEqual({ count: 'Must be at most 10.', fish: 'Choose at most 2.' });
    expect(checkElicitationAnswer(fields, { name: 'Ada', fish: ['z'] })).toEqual({ fish: 'Choose only from the list.' });
  });
});
